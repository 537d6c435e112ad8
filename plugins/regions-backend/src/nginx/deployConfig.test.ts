/*
 * The global load balancer's configuration in deploy/platform/nginx is the
 * file nginx loads in production: real nginx must accept it, and the
 * plugin must read the same routing, limits and upstreams from it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../__testUtils__/corpus';
import {
  makePrefix,
  makeTestCertificate,
  nginxTest,
} from '../__testUtils__/realNginx';
import { NginxRouting } from './NginxRouting';

const deployDir = path.join(repoRoot, 'deploy/platform/nginx');
const CERTIFICATE_DIR = '/etc/nginx/tls/';
const LOG_DIR = '/var/log/nginx/';

/**
 * The deploy files in a scratch directory, with only the certificate and
 * log directories changed: to one holding certificates made for the test.
 */
const prefixes: string[] = [];

afterAll(() => {
  for (const prefix of prefixes)
    fs.rmSync(prefix, { recursive: true, force: true });
});

async function deployCopy() {
  const prefix = makePrefix();
  prefixes.push(prefix);
  await makeTestCertificate(prefix);
  const original = fs.readFileSync(path.join(deployDir, 'nginx.conf'), 'utf8');
  expect(original).toContain(CERTIFICATE_DIR);
  expect(original).toContain(LOG_DIR);
  fs.writeFileSync(
    path.join(prefix, 'nginx.conf'),
    original
      .split(CERTIFICATE_DIR)
      .join(`${prefix}/`)
      .split(LOG_DIR)
      .join(`${prefix}/`),
  );
  fs.copyFileSync(
    path.join(deployDir, 'geo.conf'),
    path.join(prefix, 'geo.conf'),
  );
  return prefix;
}

describe('deploy/platform/nginx', () => {
  it('passes nginx -t', async () => {
    const prefix = await deployCopy();

    const result = await nginxTest(prefix, path.join(prefix, 'nginx.conf'));

    expect(result.output).toContain('test is successful');
    expect(result.ok).toBe(true);
    // Warnings (duplicate or overlapping networks) would show here.
    expect(result.output).not.toMatch(/\[warn\]/);
  });

  it('fails nginx -t when a geo line is broken, so the check can fail', async () => {
    const prefix = await deployCopy();
    fs.appendFileSync(
      path.join(prefix, 'geo.conf'),
      '\ngeo $broken { ~^1\\. x; }\n',
    );

    const result = await nginxTest(prefix, path.join(prefix, 'nginx.conf'));

    expect(result.ok).toBe(false);
    expect(result.output).toContain('invalid network');
  });

  it('is what the plugin reads: geo, rate limits and failover upstreams', () => {
    const routing = NginxRouting.fromFile(path.join(deployDir, 'nginx.conf'));

    expect(routing.warnings).toEqual([]);
    expect(routing.lookup('closest_region', { remote: '2.16.0.1' }).value).toBe(
      'eu-west-1',
    );
    expect(routing.lookup('closest_region', { remote: '1.1.1.1' }).value).toBe(
      'ap-southeast-1',
    );
    expect(
      routing.lookup('closest_region', { remote: '100.64.0.1' }).value,
    ).toBe('eu-west-1');
    expect(
      routing.lookup('closest_region', { remote: '100.63.255.255' }).value,
    ).toBe('us-east-1');
    expect(
      routing.lookup('closest_region', {
        remote: '198.51.100.7',
        xForwardedFor: '1.1.1.1, 198.51.100.9',
      }),
    ).toEqual({
      value: 'ap-southeast-1',
      matched: '1.0.0.0/8',
      clientAddress: '1.1.1.1',
    });

    expect(routing.zones.map(z => [z.zone, z.ratePerSecond])).toEqual([
      ['web', 50],
      ['api', 100],
      ['auth', 10 / 60],
      ['graphql', 30],
    ]);
    expect(
      routing.rateLimits.map(u => [
        u.zone,
        u.serverNames.join(' '),
        u.location,
        u.status,
      ]),
    ).toEqual([
      ['web', 'tms.example.com', '/', 429],
      ['api', 'api.tms.example.com', '/', 429],
      ['auth', 'api.tms.example.com', '/api/auth/', 429],
      ['graphql', 'graphql.tms.example.com', '/', 429],
    ]);
    expect(
      routing.upstreams
        .get('us-east-1')!
        .servers.filter(s => s.backup)
        .map(s => s.address),
    ).toEqual(['10.10.0.10:443', '10.10.0.11:443']);
  });
});
