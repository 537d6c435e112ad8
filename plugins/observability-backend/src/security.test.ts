import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import request from 'supertest';
import { observabilityPlugin } from './plugin';

const SERVICE = mockCredentials.service.header();
const USER = mockCredentials.user.header();

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

/** 2025-12-04T10:00:00Z plus some seconds, in decimal nanoseconds. */
const at = (second: number) => `${1764842400 + second}000000000`;
const iso = (second: number) =>
  new Date((1764842400 + second) * 1000).toISOString();

type Event = {
  second: number;
  name: string;
  /** Send the name as the attribute event.name instead of eventName. */
  asAttribute?: boolean;
  attributes: Record<string, string | number>;
};

/** The zero-trust engine's security events as one OTLP/JSON log export. */
function securityExport(events: Event[]) {
  return {
    resourceLogs: [
      {
        resource: {
          attributes: [
            { key: 'service.name', value: { stringValue: 'zero-trust' } },
            { key: 'cloud.region', value: { stringValue: 'eu-west-1' } },
          ],
        },
        scopeLogs: [
          {
            logRecords: events.map(event => ({
              timeUnixNano: at(event.second),
              severityNumber: 9,
              body: { stringValue: event.name },
              eventName: event.asAttribute ? '' : event.name,
              attributes: [
                ...Object.entries(event.attributes).map(([key, value]) => ({
                  key,
                  value:
                    typeof value === 'number'
                      ? { intValue: String(value) }
                      : { stringValue: value },
                })),
                ...(event.asAttribute
                  ? [{ key: 'event.name', value: { stringValue: event.name } }]
                  : []),
              ],
            })),
          },
        ],
      },
    ],
  };
}

const login = (second: number, outcome: string, asAttribute = false) => ({
  second,
  name: `auth.login.${outcome}`,
  asAttribute,
  attributes: { 'client.address': '198.18.0.7', 'user.name': 'ana@tms' },
});

const threat = (second: number, type: string) => ({
  second,
  name: 'security.threat.detected',
  attributes: { 'security.threat.type': type, 'client.address': '203.0.113.7' },
});

const block = (
  second: number,
  address: string,
  expiresAt: string,
  reason = 'brute_force',
) => ({
  second,
  name: 'security.ip.blocked',
  attributes: {
    'client.address': address,
    'security.block.expires_at': expiresAt,
    'security.block.reason': reason,
  },
});

const decision = (
  second: number,
  outcome: string,
  riskScore: number,
  policyId: string,
) => ({
  second,
  name: 'security.decision',
  attributes: {
    'security.decision': outcome,
    'security.risk_score': riskScore,
    'security.policy.id': policyId,
    'client.address': '198.18.0.7',
    'user.name': 'ana@tms',
  },
});

const WINDOW = `from=${iso(0)}&to=${iso(3600)}`;

describe('the security dashboard', () => {
  describe.each(databases.eachSupportedId())('on %s', databaseId => {
    let server: Parameters<typeof request>[0];

    beforeAll(async () => {
      const knex = await databases.init(databaseId);
      const backend = await startTestBackend({
        features: [
          observabilityPlugin,
          mockServices.database.factory({ knex }),
        ],
      });
      server = backend.server;

      await request(server)
        .post('/api/observability/v1/logs')
        .set('Authorization', SERVICE)
        .set('Content-Type', 'application/json')
        .send(
          securityExport([
            login(1, 'succeeded'),
            login(2, 'succeeded', true),
            login(3, 'failed'),
            login(4, 'succeeded'),
            threat(5, 'brute_force'),
            threat(6, 'brute_force'),
            threat(7, 'impossible_travel'),
            // Blocked before the window without expiry: still blocked.
            block(-3600, '192.0.2.99', 'not a time', 'manual'),
            block(10, '203.0.113.7', iso(7200)),
            block(20, '198.51.100.23', iso(7200)),
            {
              second: 30,
              name: 'security.ip.unblocked',
              attributes: { 'client.address': '198.51.100.23' },
            },
            // Expired at half past ten.
            block(40, '192.0.2.44', iso(1800)),
            decision(50, 'allow', 5, 'baseline'),
            decision(51, 'allow', 15, 'baseline'),
            decision(52, 'require_mfa', 45, 'new-device'),
            decision(53, 'deny', 85, 'geo-fence'),
            decision(54, 'deny', 100, 'geo-fence'),
            decision(55, 'deny', 65, 'device-posture'),
            decision(56, 'rate_limit', 70, 'volume'),
            // After the window: counts nowhere.
            login(4000, 'failed'),
          ]),
        )
        .expect(200);
    });

    const dashboard = (query: string) =>
      request(server)
        .get(`/api/observability/security/dashboard?${query}`)
        .set('Authorization', USER);

    it('sums up the security events of a window', async () => {
      const response = await dashboard(WINDOW);

      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        from: iso(0),
        to: iso(3600),
        authentication: {
          attempts: 4,
          succeeded: 3,
          failed: 1,
          successRate: 0.75,
        },
        threats: {
          total: 3,
          byType: [
            { type: 'brute_force', count: 2 },
            { type: 'impossible_travel', count: 1 },
          ],
        },
        blockedIps: [
          {
            address: '192.0.2.99',
            blockedAt: iso(-3600),
            expiresAt: null,
            reason: 'manual',
          },
          {
            address: '203.0.113.7',
            blockedAt: iso(10),
            expiresAt: iso(7200),
            reason: 'brute_force',
          },
        ],
        policyViolations: {
          total: 3,
          byPolicy: [
            { policyId: 'geo-fence', count: 2 },
            { policyId: 'device-posture', count: 1 },
          ],
        },
        decisions: [
          { decision: 'deny', count: 3 },
          { decision: 'allow', count: 2 },
          { decision: 'rate_limit', count: 1 },
          { decision: 'require_mfa', count: 1 },
        ],
        riskScores: [
          { range: '0-20', count: 2 },
          { range: '20-40', count: 0 },
          { range: '40-60', count: 1 },
          { range: '60-80', count: 2 },
          { range: '80-100', count: 2 },
        ],
      });
    });

    it('shows the blocks that held at the end of the window', async () => {
      const response = await dashboard(`from=${iso(0)}&to=${iso(25)}`);

      expect(
        response.body.blockedIps.map((b: { address: string }) => b.address),
      ).toEqual(['192.0.2.99', '198.51.100.23', '203.0.113.7']);
      expect(response.body.authentication.attempts).toBe(4);
    });

    it('answers a window without events with zeros and a null rate', async () => {
      const response = await dashboard(
        'from=2020-01-01T00:00:00Z&to=2020-01-02T00:00:00Z',
      );

      expect(response.body.authentication).toEqual({
        attempts: 0,
        succeeded: 0,
        failed: 0,
        successRate: null,
      });
      expect(response.body.blockedIps).toEqual([]);
      expect(response.body.riskScores.every((b: any) => b.count === 0)).toBe(
        true,
      );
    });

    it('takes the event name from the event.name attribute too', async () => {
      const logs = await request(server)
        .get(`/api/observability/logs?service=zero-trust&${WINDOW}&limit=1000`)
        .set('Authorization', USER);

      const second = logs.body.logs.find(
        (log: { timeUnixNano: string }) => log.timeUnixNano === at(2),
      );
      expect(second.eventName).toBe('auth.login.succeeded');
    });

    it('names a bad time in its 400', async () => {
      const response = await dashboard('from=yesterday');

      expect(response.status).toBe(400);
      expect(response.body.error.message).toBe(
        'request/query/from must match format "date-time"',
      );
    });
  });
});
