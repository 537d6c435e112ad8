import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stopChildProcess } from '@internal/portal-node/testUtils';
import { DatabaseTelemetryStore } from '../database/DatabaseTelemetryStore';
import { AlertEvaluator } from './AlertEvaluator';
import { DatabaseAlertStore } from './database/DatabaseAlertStore';
import { DatabaseSeriesStore } from './database/DatabaseSeriesStore';
import { NotificationOutbox } from './NotificationOutbox';
import { RuleRegistry } from './RuleRegistry';
import { SpanSeriesSource } from './series';
import { AlertmanagerTarget, WebhookTarget } from './targets';
import { requestSpan } from './testing';

const ALERTMANAGER = '/usr/bin/prometheus-alertmanager';

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

/** A loopback port nothing listens on right now. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise(resolve => server.close(resolve));
  return port;
}

let alertmanager: ChildProcess;
let alertmanagerUrl: string;
let workDir: string;
let webhook: Server;
let webhookUrl: string;
const webhookBodies: any[] = [];

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'tms-alertmanager-'));
  const configFile = join(workDir, 'alertmanager.yml');
  writeFileSync(
    configFile,
    [
      'route:',
      '  receiver: nobody',
      '  group_wait: 0s',
      'receivers:',
      '  - name: nobody',
      '',
    ].join('\n'),
  );
  const port = await freePort();
  alertmanagerUrl = `http://127.0.0.1:${port}`;
  alertmanager = spawn(
    ALERTMANAGER,
    [
      `--config.file=${configFile}`,
      `--storage.path=${join(workDir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--cluster.listen-address=',
    ],
    { stdio: 'ignore' },
  );

  // Ready once it answers; it takes well under a second here.
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${alertmanagerUrl}/-/ready`)).ok) {
        break;
      }
    } catch {
      // not listening yet
    }
    if (i > 100) {
      throw new Error(`${ALERTMANAGER} did not become ready on ${port}`);
    }
    await new Promise(resolve => setTimeout(resolve, 100));
  }

  webhook = createServer((req, res) => {
    let body = '';
    req.on('data', chunk => {
      body += chunk;
    });
    req.on('end', () => {
      webhookBodies.push(JSON.parse(body));
      res.writeHead(204).end();
    });
  });
  await new Promise<void>(resolve => webhook.listen(0, '127.0.0.1', resolve));
  webhookUrl = `http://127.0.0.1:${
    (webhook.address() as AddressInfo).port
  }/hook`;
}, 30_000);

afterAll(async () => {
  await stopChildProcess(alertmanager);
  await new Promise(resolve => webhook?.close(resolve));
  rmSync(workDir, { recursive: true, force: true });
});

/** Alertmanager's alerts carrying the label value, as it serves them. */
async function alertsIn(label: string, value: string) {
  const response = await fetch(`${alertmanagerUrl}/api/v2/alerts`);
  const alerts: any[] = await response.json();
  return alerts.filter(a => a.labels[label] === value);
}

describe.each(databases.eachSupportedId())(
  'notifications to a real Alertmanager on %s',
  databaseId => {
    it('sends the alert firing and then resolved, and the webhook gets both', async () => {
      const knex = await databases.init(databaseId);
      const telemetry = await DatabaseTelemetryStore.create({
        database: mockServices.database({ knex }),
      });
      const store = new DatabaseAlertStore(knex);
      const sources = [new SpanSeriesSource(new DatabaseSeriesStore(knex))];
      const logger = mockServices.logger.mock();
      const outbox = new NotificationOutbox(
        store,
        [
          new AlertmanagerTarget({
            url: alertmanagerUrl,
            resendIntervalMs: 60_000,
            generatorUrl: alert =>
              `http://localhost:7007/api/observability/alerts/${alert.id}`,
          }),
          new WebhookTarget('webhook:ops', webhookUrl),
        ],
        logger,
      );
      const ruleId = `gateway-errors-${databaseId
        .toLowerCase()
        .replace('_', '-')}`;
      const evaluator = new AlertEvaluator({
        store,
        rules: new RuleRegistry(store, sources, [
          {
            id: ruleId,
            series: 'error_rate',
            window: '2s',
            operator: '>',
            threshold: 0.1,
            severity: 'page',
            scope: { service: 'api-gateway', region: 'us-east-1' },
          },
        ]),
        sources,
        outbox,
        logger,
        resendIntervalMs: 60_000,
      });

      const now = Date.now();
      await telemetry.insertSpans(
        Array.from({ length: 10 }, (_, i) =>
          requestSpan({
            service: 'api-gateway',
            region: 'us-east-1',
            startMs: now - 1000 + i * 50,
            durationMs: 4,
            failed: true,
          }),
        ),
      );

      const [alert] = (await evaluator.evaluate(now)).fired;
      await outbox.deliver(now);

      const firing = await alertsIn('alertname', ruleId);
      expect(firing).toHaveLength(1);
      expect(firing[0]).toMatchObject({
        labels: {
          alertname: ruleId,
          severity: 'page',
          service: 'api-gateway',
          region: 'us-east-1',
        },
        annotations: { summary: alert.annotations.summary },
        startsAt: new Date(alert.startsAtMs).toISOString(),
        generatorURL: `http://localhost:7007/api/observability/alerts/${alert.id}`,
        status: { state: 'active' },
      });

      // Two seconds on, the errors have left the window. Real time, as
      // Alertmanager compares the end with its own clock.
      await new Promise(resolve =>
        setTimeout(resolve, now + 2100 - Date.now()),
      );
      const later = Date.now();
      const { resolved } = await evaluator.evaluate(later);
      expect(resolved.map(a => a.id)).toEqual([alert.id]);
      await outbox.deliver(later);

      // Alertmanager serves active alerts only: a resolved one is gone.
      expect(await alertsIn('alertname', ruleId)).toEqual([]);
      expect(
        webhookBodies
          .filter(b => b.alert.ruleId === ruleId)
          .map(b => [b.event, b.alert.state]),
      ).toEqual([
        ['firing', 'firing'],
        ['resolved', 'resolved'],
      ]);
    });
  },
);
