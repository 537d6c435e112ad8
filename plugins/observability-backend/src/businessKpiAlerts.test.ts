import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { ConfigReader, JsonValue } from '@backstage/config';
import request from 'supertest';
import { ALERT_EVALUATION_TASK_ID } from './alerts/AlertEvaluationTask';
import { observabilityPlugin } from './plugin';
import { readKpiSlos } from './slos/KpiSloService';

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

const SERVICE = mockCredentials.service.header();
const ADA = mockCredentials.user.header('user:default/ada');
const DELTA = 1;

/** Nanoseconds of a time so many seconds before now, as OTLP/JSON has them. */
const ago = (nowMs: number, seconds: number) =>
  String(BigInt(nowMs - seconds * 1000) * 1_000_000n);

/**
 * Safety checks of one service in one region over the last two minutes,
 * as the delta sums of `tms.business.safety_checks` split by `compliant`.
 */
function safetyChecks(
  region: string,
  counts: { compliant: number; failed: number },
  nowMs: number,
) {
  const point = (compliant: boolean, value: number) => ({
    asInt: String(value),
    startTimeUnixNano: ago(nowMs, 120),
    timeUnixNano: ago(nowMs, 60),
    attributes: [{ key: 'compliant', value: { boolValue: compliant } }],
  });
  return {
    resourceMetrics: [
      {
        resource: {
          attributes: [
            {
              key: 'service.name',
              value: { stringValue: 'safety-check-service' },
            },
            { key: 'cloud.region', value: { stringValue: region } },
          ],
        },
        scopeMetrics: [
          {
            scope: { name: 'tms' },
            metrics: [
              {
                name: 'tms.business.safety_checks',
                unit: '{check}',
                sum: {
                  aggregationTemporality: DELTA,
                  isMonotonic: true,
                  dataPoints: [
                    point(true, counts.compliant),
                    point(false, counts.failed),
                  ],
                },
              },
            ],
          },
        ],
      },
    ],
  };
}

describe.each(databases.eachSupportedId())(
  'alerts and SLOs on business KPIs on %s',
  databaseId => {
    let server: Parameters<typeof request>[0];
    const scheduler = mockServices.scheduler();

    beforeAll(async () => {
      const knex = await databases.init(databaseId);
      const backend = await startTestBackend({
        features: [
          observabilityPlugin,
          mockServices.database.factory({ knex }),
          createServiceFactory({
            service: coreServices.scheduler,
            deps: {},
            factory: () => scheduler,
          }),
        ],
      });
      server = backend.server;

      // eu-west-1 passes 20 of 200 checks; us-east-1 passes 199 of 200.
      const nowMs = Date.now();
      for (const [region, counts] of [
        ['eu-west-1', { compliant: 20, failed: 180 }],
        ['us-east-1', { compliant: 199, failed: 1 }],
      ] as const) {
        await request(server)
          .post('/api/observability/v1/metrics')
          .set('Authorization', SERVICE)
          .set('Content-Type', 'application/json')
          .send(safetyChecks(region, counts, nowMs))
          .expect(200);
      }
    });

    const get = (path: string) =>
      request(server)
        .get(`/api/observability${path}`)
        .set('Authorization', ADA);

    it('keeps the default SLO on safety-check compliance per region', async () => {
      const response = await get('/slos');
      expect(response.status).toBe(200);
      const kpiSlos = response.body.businessKpiSlos;
      expect(kpiSlos.map((s: any) => s.id)).toEqual([
        'kpi:safety_check_compliance:safety-check-service@eu-west-1',
        'kpi:safety_check_compliance:safety-check-service@us-east-1',
      ]);
      const [eu, us] = kpiSlos.map((s: any) => s.objectives[0]);
      expect(eu).toMatchObject({
        name: 'safety_check_compliance',
        objective: 0.95,
        status: 'breached',
      });
      expect(eu.sli).toBeCloseTo(0.1);
      // 180 bad checks of 200 burn a 5% budget 18 times over.
      expect(eu.burnRates['1h']).toBeCloseTo(18);
      expect(eu.errorBudget.remainingFraction).toBeCloseTo(1 - 18);
      expect(us.status).toBe('ok');
      expect(us.sli).toBeCloseTo(0.995);
      expect(us.errorBudget.remainingFraction).toBeCloseTo(0.9);

      const one = await get(
        `/slos/${encodeURIComponent(
          'kpi:safety_check_compliance:safety-check-service@us-east-1',
        )}`,
      );
      expect(one.status).toBe(200);
      expect(one.body.region).toBe('us-east-1');
      expect((await get('/slos/kpi:quiz_completion_rate:x@y')).status).toBe(
        404,
      );
    });

    it('pages on the burning compliance SLO and on a KPI threshold rule', async () => {
      const created = await request(server)
        .post('/api/observability/alert-rules')
        .set('Authorization', ADA)
        .send({
          id: 'safety-compliance-low',
          series: 'business_kpi',
          kpi: 'safety_check_compliance',
          window: '1h',
          operator: '<',
          threshold: 0.9,
          severity: 'ticket',
        });
      expect(created.status).toBe(201);

      const unknown = await request(server)
        .post('/api/observability/alert-rules')
        .set('Authorization', ADA)
        .send({
          id: 'nonsense',
          series: 'business_kpi',
          kpi: 'happiness',
          window: '1h',
          operator: '<',
          threshold: 1,
          severity: 'ticket',
        });
      expect(unknown.status).toBe(400);
      expect(unknown.body.error.message).toMatch(
        /^Invalid rule field 'kpi': 'happiness' is not a business KPI/,
      );

      await scheduler.triggerTask(ALERT_EVALUATION_TASK_ID);

      const firing = await get('/alerts?state=firing&limit=100');
      const found = firing.body.alerts
        .map((a: any) => `${a.ruleId} ${a.service}@${a.region}`)
        .sort();
      expect(found).toEqual([
        'safety-compliance-low safety-check-service@eu-west-1',
        // Every window holds the same checks, so every tier burns.
        'slo-safety-check-compliance-fast safety-check-service@eu-west-1',
        'slo-safety-check-compliance-medium safety-check-service@eu-west-1',
        'slo-safety-check-compliance-slow safety-check-service@eu-west-1',
      ]);
      const rule = firing.body.alerts.find(
        (a: any) => a.ruleId === 'safety-compliance-low',
      );
      expect(rule.value).toBeCloseTo(0.1);
      expect(rule.labels.kpi).toBe('safety_check_compliance');
    });
  },
);

describe('observability.slos.businessKpis', () => {
  it('replaces the default objective and names a bad entry', () => {
    const read = (businessKpis: JsonValue) =>
      readKpiSlos(
        new ConfigReader({ observability: { slos: { businessKpis } } }),
      );
    expect(readKpiSlos(new ConfigReader({}))).toEqual([
      { kpi: 'safety_check_compliance', objective: 0.95, periodDays: 30 },
    ]);
    expect(
      read([
        { kpi: 'safety_check_compliance', objective: 0.99, periodDays: 7 },
      ]),
    ).toEqual([
      { kpi: 'safety_check_compliance', objective: 0.99, periodDays: 7 },
    ]);
    expect(read([])).toEqual([]);
    expect(() => read([{ kpi: 'active_users', objective: 0.9 }])).toThrow(
      "observability.slos.businessKpis[0].kpi: 'active_users' has no SLO",
    );
    expect(() =>
      read([{ kpi: 'safety_check_compliance', objective: 95 }]),
    ).toThrow(
      'observability.slos.businessKpis[0].objective must be between 0 and 1 (exclusive), not 95',
    );
  });
});
