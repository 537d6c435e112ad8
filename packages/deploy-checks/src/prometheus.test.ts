import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from './__testUtils__/deployFiles';
import { runTool } from './__testUtils__/tools';

const PROMETHEUS_DIR = join(REPO_ROOT, 'deploy/platform/prometheus');
const ALERTMANAGER_CONFIG = join(
  REPO_ROOT,
  'deploy/platform/alertmanager/alertmanager.yml',
);

describe('the Prometheus config', () => {
  it('passes promtool check config, rule files included', () => {
    const result = runTool(
      'promtool',
      ['check', 'config', 'prometheus.yml'],
      PROMETHEUS_DIR,
    );

    expect(result).toEqual({ status: 0, output: expect.any(String) });
    expect(result.output).toContain('SUCCESS: 1 rule files found');
  });

  it('passes promtool check rules', () => {
    const result = runTool(
      'promtool',
      ['check', 'rules', 'rules/slo.rules.yml'],
      PROMETHEUS_DIR,
    );

    expect(result.status).toBe(0);
    expect(result.output).toMatch(/SUCCESS: \d+ rules found/);
  });

  it('raises exactly the alerts its rules unit test expects', () => {
    const result = runTool(
      'promtool',
      ['test', 'rules', 'tests/slo.test.yml'],
      PROMETHEUS_DIR,
    );

    expect(result.output).toContain('SUCCESS');
    expect(result.status).toBe(0);
  });

  it('fails the unit test when an expectation is wrong, so the check can fail', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tms-promtool-'));
    try {
      const test = readFileSync(
        join(PROMETHEUS_DIR, 'tests/slo.test.yml'),
        'utf8',
      )
        .replace(
          '../rules/slo.rules.yml',
          join(PROMETHEUS_DIR, 'rules/slo.rules.yml'),
        )
        .replace('value: 0.05', 'value: 0.06');
      writeFileSync(join(dir, 'wrong.test.yml'), test);

      const result = runTool(
        'promtool',
        ['test', 'rules', 'wrong.test.yml'],
        dir,
      );

      expect(result.status).not.toBe(0);
      expect(result.output).toContain('FAILED');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('alerts on every SLO the runbook explains', () => {
    const rules = readFileSync(
      join(PROMETHEUS_DIR, 'rules/slo.rules.yml'),
      'utf8',
    );
    const runbook = readFileSync(join(REPO_ROOT, 'docs/runbook.md'), 'utf8');

    const alerts = [...rules.matchAll(/- alert: (\w+)/g)].map(m => m[1]);
    const explained = [...runbook.matchAll(/^#### (\w+)$/gm)].map(m => m[1]);

    expect(alerts.length).toBeGreaterThanOrEqual(7);
    expect(explained.sort()).toEqual([...alerts].sort());
  });
});

describe('the Alertmanager config', () => {
  it('passes amtool check-config', () => {
    const result = runTool('amtool', ['check-config', ALERTMANAGER_CONFIG]);

    expect(result.status).toBe(0);
    expect(result.output).toContain('SUCCESS');
  });

  it.each([
    ['severity=page service=quiz-service', 'platform-oncall'],
    ['severity=page service=auth-service', 'platform-oncall,security-team'],
    ['severity=ticket service=quiz-service', 'platform-team-tickets'],
    ['alertname=Unlabelled', 'platform-team-tickets'],
  ])('routes an alert with %s to %s', (labels, receivers) => {
    const result = runTool('amtool', [
      'config',
      'routes',
      'test',
      `--config.file=${ALERTMANAGER_CONFIG}`,
      ...labels.split(' '),
    ]);

    expect(result.status).toBe(0);
    expect(result.output.split('\n')[0].trim()).toBe(receivers);
  });
});
