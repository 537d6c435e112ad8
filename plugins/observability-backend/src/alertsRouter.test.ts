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
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  notificationService,
  NotificationSendOptions,
} from '@backstage/plugin-notifications-node';
import { expectJsonBodyChecks } from '@internal/portal-node/testUtils';
import request from 'supertest';
import { ALERT_EVALUATION_TASK_ID } from './alerts/AlertEvaluationTask';
import { observabilityPlugin } from './plugin';

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

const SERVICE = mockCredentials.service.header();
const ADA = mockCredentials.user.header('user:default/ada');

/**
 * The traffic generator's regional outage as OTLP/JSON: us-east-1's
 * gateway refuses every request with 503 in 4 ms, while eu-west-1's
 * gateway answers.
 */
function outageExport(nowMs: number) {
  const spans = (region: string, status: number) =>
    // 250 requests in the last minute: above the 200 a burn-rate window
    // needs before it can page (observability.slos.minRequests).
    Array.from({ length: 250 }, (_, i) => {
      const start = BigInt(nowMs - 60_000 + i * 240) * 1_000_000n;
      const id = `${region === 'us-east-1' ? 'a' : 'b'}${i
        .toString(16)
        .padStart(15, '0')}`;
      return {
        traceId: `${id}${id}`,
        spanId: id,
        kind: 2,
        name: 'GET /api/quizzes',
        startTimeUnixNano: String(start),
        endTimeUnixNano: String(start + 4_000_000n),
        status: status === 503 ? { code: 2 } : {},
        attributes: [
          { key: 'http.route', value: { stringValue: '/api/quizzes' } },
          { key: 'http.response.status_code', value: { intValue: status } },
        ],
      };
    });
  return {
    resourceSpans: [
      ['us-east-1', 503],
      ['eu-west-1', 200],
    ].map(([region, status]) => ({
      resource: {
        attributes: [
          { key: 'service.name', value: { stringValue: 'api-gateway' } },
          { key: 'cloud.region', value: { stringValue: region } },
        ],
      },
      scopeSpans: [{ spans: spans(region as string, status as number) }],
    })),
  };
}

describe.each(databases.eachSupportedId())('alerts API on %s', databaseId => {
  let server: Parameters<typeof request>[0];
  const scheduler = mockServices.scheduler();
  const sent: NotificationSendOptions[] = [];

  beforeAll(async () => {
    const knex = await databases.init(databaseId);
    const backend = await startTestBackend({
      features: [
        observabilityPlugin,
        mockServices.database.factory({ knex }),
        // Evaluations run when the test triggers them, not on a clock.
        createServiceFactory({
          service: coreServices.scheduler,
          deps: {},
          factory: () => scheduler,
        }),
        catalogServiceMock.factory({
          entities: [
            {
              apiVersion: 'backstage.io/v1alpha1',
              kind: 'Component',
              metadata: { name: 'api-gateway', namespace: 'default' },
              spec: { type: 'service', lifecycle: 'production', owner: 'edge' },
            },
          ],
        }),
        createServiceFactory({
          service: notificationService,
          deps: {},
          factory: () => ({
            send: async (options: NotificationSendOptions) => {
              sent.push(options);
            },
          }),
        }),
      ],
    });
    server = backend.server;
  });

  it('raises the outage through the default SLOs and lets a user acknowledge and resolve it', async () => {
    const ingested = await request(server)
      .post('/api/observability/v1/traces')
      .set('Authorization', SERVICE)
      .set('Content-Type', 'application/json')
      .send(outageExport(Date.now()));
    expect(ingested.status).toBe(200);

    await scheduler.triggerTask(ALERT_EVALUATION_TASK_ID);

    const firing = await request(server)
      .get('/api/observability/alerts?state=firing&region=us-east-1')
      .set('Authorization', ADA);
    expect(firing.status).toBe(200);
    const ruleIds = firing.body.alerts.map((a: any) => a.ruleId).sort();
    // 100% errors burn the availability and error-rate budgets far above
    // 14.4x over both 1 h and 5 min.
    expect(ruleIds).toEqual(
      expect.arrayContaining([
        'slo-availability-fast',
        'slo-error-rate-fast',
        'slo-availability-medium',
      ]),
    );
    expect(
      firing.body.alerts.every((a: any) => a.service === 'api-gateway'),
    ).toBe(true);
    const eu = await request(server)
      .get('/api/observability/alerts?region=eu-west-1')
      .set('Authorization', ADA);
    expect(eu.body.total).toBe(0);

    const page = firing.body.alerts.find(
      (a: any) => a.ruleId === 'slo-availability-fast',
    );
    expect(page).toMatchObject({
      state: 'firing',
      severity: 'page',
      region: 'us-east-1',
      labels: { alertname: 'slo-availability-fast', slo: 'availability' },
    });
    // The owner of the Component heard of it.
    expect(sent).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          recipients: { type: 'entity', entityRef: 'group:default/edge' },
          payload: expect.objectContaining({ severity: 'critical' }),
        }),
      ]),
    );

    const slo = await request(server)
      .get('/api/observability/slos/api-gateway@us-east-1')
      .set('Authorization', ADA);
    expect(slo.status).toBe(200);
    const availability = slo.body.objectives.find(
      (o: any) => o.name === 'availability',
    );
    expect(availability.burnRates['5m']).toBeCloseTo(1000, 6);
    expect(availability.sli).toBe(0);

    // A service may read alerts but not act on them.
    const asService = await request(server)
      .post(`/api/observability/alerts/${page.id}/acknowledge`)
      .set('Authorization', SERVICE)
      .send({});
    expect(asService.status).toBe(403);

    const acked = await request(server)
      .post(`/api/observability/alerts/${page.id}/acknowledge`)
      .set('Authorization', ADA)
      .send({ comment: 'failing over to eu-west-1' });
    expect(acked.status).toBe(200);
    expect(acked.body).toMatchObject({
      state: 'acknowledged',
      acknowledgedBy: 'user:default/ada',
      acknowledgeComment: 'failing over to eu-west-1',
    });

    // Without a body, as the comment is optional: read as {}.
    const twice = await request(server)
      .post(`/api/observability/alerts/${page.id}/acknowledge`)
      .set('Authorization', ADA);
    expect(twice.status).toBe(409);

    const noReason = await request(server)
      .post(`/api/observability/alerts/${page.id}/resolve`)
      .set('Authorization', ADA);
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.message).toMatch(/reason/);

    const resolved = await request(server)
      .post(`/api/observability/alerts/${page.id}/resolve`)
      .set('Authorization', ADA)
      .send({ reason: 'region drained' });
    expect(resolved.body).toMatchObject({
      state: 'resolved',
      resolvedBy: 'user:default/ada',
      resolveReason: 'region drained',
    });

    const history = await request(server)
      .get('/api/observability/alerts/history')
      .set('Authorization', ADA);
    const gateway = history.body.services.find(
      (s: any) => s.service === 'api-gateway' && s.region === 'us-east-1',
    );
    expect(gateway.acknowledged).toBe(1);
    expect(gateway.resolved).toBe(1);
    expect(gateway.mttaSeconds).toBeGreaterThanOrEqual(0);

    // The next evaluation delivers the resolution from the outbox and keeps
    // the alert closed although the outage goes on.
    await scheduler.triggerTask(ALERT_EVALUATION_TASK_ID);
    expect(
      (
        await request(server)
          .get(`/api/observability/alerts/${page.id}`)
          .set('Authorization', ADA)
      ).body.state,
    ).toBe('resolved');
    expect(sent.map(s => s.payload.title)).toContain(
      `Resolved: ${page.annotations.summary}`,
    );

    const health = await request(server).get('/api/observability/health');
    expect(health.body).toMatchObject({
      status: 'ok',
      database: 'ok',
      notifications: { status: 'ok', pending: 0, failing: [] },
    });
  });

  it('names the offending field of a bad rule and manages good ones', async () => {
    const bad = await request(server)
      .post('/api/observability/alert-rules')
      .set('Authorization', ADA)
      .send({
        id: 'gateway-latency',
        series: 'p95',
        window: 'five minutes',
        operator: '>',
        threshold: 2000,
        severity: 'page',
      });
    expect(bad.status).toBe(400);
    // The OpenAPI document refuses it before the rule parser sees it.
    expect(bad.body.error.message).toBe(
      'request/body/window must match pattern "^\\d+[smhd]$"',
    );

    const wrongSeries = await request(server)
      .post('/api/observability/alert-rules')
      .set('Authorization', ADA)
      .send({
        id: 'x',
        series: 'cpu',
        window: '5m',
        operator: '>',
        threshold: 1,
        severity: 'page',
      });
    expect(wrongSeries.status).toBe(400);
    expect(wrongSeries.body.error.message).toBe(
      'request/body/series must be equal to one of the allowed values: request_rate, error_rate, p95, availability, security_events, business_kpi',
    );

    const rule = {
      id: 'gateway-latency',
      series: 'p95',
      window: '5m',
      operator: '>',
      threshold: 2000,
      for: '2m',
      severity: 'page',
      scope: { service: 'api-gateway' },
    };
    const created = await request(server)
      .post('/api/observability/alert-rules')
      .set('Authorization', ADA)
      .send(rule);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      rule,
      source: 'api',
      createdBy: 'user:default/ada',
    });

    const again = await request(server)
      .post('/api/observability/alert-rules')
      .set('Authorization', ADA)
      .send(rule);
    expect(again.status).toBe(409);

    const updated = await request(server)
      .put('/api/observability/alert-rules/gateway-latency')
      .set('Authorization', ADA)
      .send({ ...rule, threshold: 1500 });
    expect(updated.body.rule.threshold).toBe(1500);

    const removed = await request(server)
      .delete('/api/observability/alert-rules/gateway-latency')
      .set('Authorization', ADA);
    expect(removed.status).toBe(204);
    const gone = await request(server)
      .get('/api/observability/alert-rules/gateway-latency')
      .set('Authorization', ADA);
    expect(gone.status).toBe(404);
  });

  it('creates, lists and ends silences', async () => {
    const created = await request(server)
      .post('/api/observability/silences')
      .set('Authorization', ADA)
      .send({
        matchers: [{ name: 'region', value: 'us-east-1' }],
        comment: 'planned failover',
        duration: '2h',
      });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      state: 'active',
      createdBy: 'user:default/ada',
    });

    const badRegex = await request(server)
      .post('/api/observability/silences')
      .set('Authorization', ADA)
      .send({
        matchers: [{ name: 'service', value: '(', isRegex: true }],
        comment: 'x',
        duration: '1h',
      });
    expect(badRegex.status).toBe(400);
    expect(badRegex.body.error.message).toBe(
      "Invalid matchers.0.value: '(' is not a regular expression (RE2 syntax): error parsing regexp: missing closing ): `(`",
    );

    const ended = await request(server)
      .delete(`/api/observability/silences/${created.body.id}`)
      .set('Authorization', ADA);
    expect(ended.body.state).toBe('expired');
  });

  it('reads only JSON bodies, and names what is wrong with one', async () => {
    await expectJsonBodyChecks((type, body) =>
      request(server)
        .post('/api/observability/silences')
        .set('Authorization', ADA)
        .set('Content-Type', type)
        .send(body),
    );

    const large = await request(server)
      .post('/api/observability/silences')
      .set('Authorization', ADA)
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ comment: 'x'.repeat(1_100_000) }));
    expect(large.status).toBe(413);
    expect(large.body.error.name).toBe('PayloadTooLargeError');
  });
});

describe('acting on alerts without the permission', () => {
  it('is refused with 403 and the permission named', async () => {
    const { server } = await startTestBackend({
      features: [
        observabilityPlugin,
        mockServices.database.factory(),
        mockServices.permissions.factory({ result: AuthorizeResult.DENY }),
        catalogServiceMock.factory(),
      ],
    });

    const response = await request(server)
      .post('/api/observability/silences')
      .set('Authorization', ADA)
      .send({
        matchers: [{ name: 'region', value: 'us-east-1' }],
        comment: 'x',
        duration: '1h',
      });
    expect(response.status).toBe(403);
    expect(response.body.error.message).toBe(
      'user:default/ada may not act on alerts (observability.alert.update)',
    );
  });
});
