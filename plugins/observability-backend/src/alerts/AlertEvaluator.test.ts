import {
  mockCredentials,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { DatabaseTelemetryStore } from '../database/DatabaseTelemetryStore';
import { SloService } from '../slos/SloService';
import { SloTargetResolver } from '../slos/targets';
import { AlertEvaluator } from './AlertEvaluator';
import { AlertService } from './AlertService';
import { DatabaseAlertStore } from './database/DatabaseAlertStore';
import { DatabaseSeriesStore } from './database/DatabaseSeriesStore';
import { NotificationOutbox } from './NotificationOutbox';
import { RuleRegistry } from './RuleRegistry';
import { SecurityEventSeriesSource, SpanSeriesSource } from './series';
import { eventRecord, RecordingTarget, requestSpan } from './testing';

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

const T0 = Date.UTC(2026, 11, 3, 12, 0, 0);
const SECOND = 1000;
const MINUTE = 60 * SECOND;

const QUIZ_ERRORS = {
  id: 'quiz-errors',
  series: 'error_rate',
  window: '5m',
  operator: '>',
  threshold: 0.05,
  for: '1m',
  severity: 'page',
  labels: { team: 'quiz' },
  scope: { service: 'quiz-service' },
};

/** Twenty requests of quiz-service in eu-west-1, one a second; half fail. */
function failingQuizRequests(fromMs: number) {
  return Array.from({ length: 20 }, (_, i) =>
    requestSpan({
      service: 'quiz-service',
      region: 'eu-west-1',
      startMs: fromMs + i * SECOND,
      durationMs: 100,
      failed: i % 2 === 0,
    }),
  );
}

async function setUp(databaseId: string, rules: unknown[], withSlos = false) {
  const knex = await databases.init(databaseId as any);
  const telemetry = await DatabaseTelemetryStore.create({
    database: mockServices.database({ knex }),
  });
  const store = new DatabaseAlertStore(knex);
  const seriesStore = new DatabaseSeriesStore(knex);
  const sources = [
    new SpanSeriesSource(seriesStore),
    new SecurityEventSeriesSource(seriesStore),
  ];
  const target = new RecordingTarget();
  const logger = mockServices.logger.mock();
  const outbox = new NotificationOutbox(store, [target], logger);
  const registry = new RuleRegistry(store, sources, rules);
  const slos = new SloService({
    store: seriesStore,
    targets: SloTargetResolver.fromConfig(mockServices.rootConfig()),
    logger,
    longWindowRefreshMs: MINUTE,
  });
  const makeEvaluator = () =>
    new AlertEvaluator({
      store,
      rules: registry,
      sources,
      slos: withSlos ? slos : undefined,
      outbox,
      logger,
      resendIntervalMs: MINUTE,
    });
  return {
    knex,
    telemetry,
    store,
    target,
    outbox,
    slos,
    evaluator: makeEvaluator(),
    makeEvaluator,
  };
}

describe.each(databases.eachSupportedId())('alert evaluation on %s', id => {
  it('goes from pending to firing to acknowledged to resolved, and fires a new occurrence on a later breach', async () => {
    const { telemetry, store, evaluator, target, outbox } = await setUp(id, [
      QUIZ_ERRORS,
    ]);
    await telemetry.insertSpans(failingQuizRequests(T0 - MINUTE));

    // Breaching, but not yet for the rule's minute.
    expect(await evaluator.evaluate(T0)).toMatchObject({
      breaches: 1,
      fired: [],
    });
    expect((await evaluator.evaluate(T0 + 30 * SECOND)).fired).toEqual([]);

    const { fired } = await evaluator.evaluate(T0 + MINUTE);
    expect(fired).toHaveLength(1);
    const [first] = fired;
    expect(first).toMatchObject({
      occurrence: 1,
      state: 'firing',
      ruleId: 'quiz-errors',
      severity: 'page',
      service: 'quiz-service',
      region: 'eu-west-1',
      value: 0.5,
      startsAtMs: T0 + MINUTE,
      labels: {
        alertname: 'quiz-errors',
        severity: 'page',
        service: 'quiz-service',
        region: 'eu-west-1',
        team: 'quiz',
      },
    });
    await outbox.deliver(T0 + MINUTE);

    // Still breaching: the same alert, not a second one.
    expect((await evaluator.evaluate(T0 + 80 * SECOND)).fired).toEqual([]);
    expect(
      await store.acknowledge(
        first.id,
        'user:default/ada',
        'looking',
        T0 + 90 * SECOND,
      ),
    ).toBe(true);
    expect((await evaluator.evaluate(T0 + 2 * MINUTE)).resolved).toEqual([]);

    // The requests leave the five-minute window: no data, so it resolves.
    const cleared = await evaluator.evaluate(T0 + 5 * MINUTE);
    expect(cleared.resolved).toHaveLength(1);
    expect(await store.getAlert(first.id)).toMatchObject({
      state: 'resolved',
      acknowledgedAtMs: T0 + 90 * SECOND,
      acknowledgedBy: 'user:default/ada',
      acknowledgeComment: 'looking',
      resolvedAtMs: T0 + 5 * MINUTE,
      resolvedBy: 'system',
      resolveReason: 'condition cleared',
    });
    await outbox.deliver(T0 + 5 * MINUTE);

    // A later breach is a new occurrence, after the rule's minute again.
    await telemetry.insertSpans(failingQuizRequests(T0 + 5 * MINUTE));
    expect(
      (await evaluator.evaluate(T0 + 5 * MINUTE + 20 * SECOND)).fired,
    ).toEqual([]);
    const again = await evaluator.evaluate(T0 + 6 * MINUTE + 20 * SECOND);
    expect(again.fired).toHaveLength(1);
    const [second] = again.fired;
    expect(second.occurrence).toBe(2);
    expect(second.fingerprint).toBe(first.fingerprint);
    expect(second.id).not.toBe(first.id);
    await outbox.deliver(T0 + 6 * MINUTE + 20 * SECOND);

    expect(target.sent).toEqual([
      { alertId: first.id, occurrence: 1, event: 'firing' },
      { alertId: first.id, occurrence: 1, event: 'resolved' },
      { alertId: second.id, occurrence: 2, event: 'firing' },
    ]);
  });

  it('keeps an alert resolved by hand closed until its condition clears', async () => {
    const { telemetry, store, evaluator } = await setUp(id, [
      { ...QUIZ_ERRORS, for: '0s' },
    ]);
    await telemetry.insertSpans(failingQuizRequests(T0 - MINUTE));

    const [alert] = (await evaluator.evaluate(T0)).fired;
    expect(
      await store.resolve(
        alert.id,
        'user:default/ada',
        'known deploy',
        T0 + 10 * SECOND,
      ),
    ).toBe(true);
    await evaluator.resolvedByHand(
      (await store.getAlert(alert.id))!,
      T0 + 10 * SECOND,
    );

    expect((await evaluator.evaluate(T0 + 20 * SECOND)).fired).toEqual([]);
    expect((await evaluator.evaluate(T0 + 5 * MINUTE)).fired).toEqual([]);

    // Cleared at T0+5m; a breach after that fires.
    await telemetry.insertSpans(failingQuizRequests(T0 + 5 * MINUTE));
    const later = await evaluator.evaluate(T0 + 5 * MINUTE + 20 * SECOND);
    expect(later.fired.map(a => a.occurrence)).toEqual([2]);
  });

  it('fires one alert when two replicas evaluate at the same moment', async () => {
    const { telemetry, store, evaluator, makeEvaluator, knex } = await setUp(
      id,
      [{ ...QUIZ_ERRORS, for: '0s' }],
    );
    await telemetry.insertSpans(failingQuizRequests(T0 - MINUTE));

    const results = await Promise.all([
      evaluator.evaluate(T0),
      makeEvaluator().evaluate(T0),
    ]);

    expect(results.flatMap(r => r.fired)).toHaveLength(1);
    expect(await store.openAlerts()).toHaveLength(1);
    const [{ count }] = await knex('alert_outbox').count({ count: '*' });
    expect(Number(count)).toBe(1);
  });

  it('stores a silenced alert without sending it, and sends it once the silence ends', async () => {
    const { telemetry, store, evaluator, target, outbox } = await setUp(id, [
      { ...QUIZ_ERRORS, for: '0s' },
    ]);
    await store.createSilence({
      id: 'b6f0d7c4-1d1e-4f55-9a52-000000000001',
      matchers: [
        { name: 'service', value: 'quiz-.*', isRegex: true },
        { name: 'team', value: 'quiz' },
      ],
      comment: 'maintenance',
      createdBy: 'user:default/ada',
      createdAtMs: T0,
      startsAtMs: T0,
      endsAtMs: T0 + 30 * SECOND,
    });
    await telemetry.insertSpans(failingQuizRequests(T0 - MINUTE));

    expect((await evaluator.evaluate(T0)).fired).toHaveLength(1);
    await outbox.deliver(T0);
    expect(target.sent).toEqual([]);

    await evaluator.evaluate(T0 + 30 * SECOND);
    await outbox.deliver(T0 + 30 * SECOND);
    expect(target.sent.map(s => s.event)).toEqual(['firing']);
  });

  it('retries a target that is down with backoff and reports it until it takes the alert', async () => {
    const { telemetry, evaluator, target, outbox } = await setUp(id, [
      { ...QUIZ_ERRORS, for: '0s' },
    ]);
    await telemetry.insertSpans(failingQuizRequests(T0 - MINUTE));
    target.down = true;

    await evaluator.evaluate(T0);
    await outbox.deliver(T0);
    await outbox.deliver(T0 + 500);
    let health = await outbox.health();
    expect(health).toMatchObject({
      status: 'failing',
      pending: 1,
      failing: [
        {
          target: 'recording',
          attempts: 1,
          lastError: 'connect ECONNREFUSED 127.0.0.1:9',
          nextAttemptAt: new Date(T0 + 1000).toISOString(),
        },
      ],
    });

    await outbox.deliver(T0 + 1000);
    health = await outbox.health();
    expect(health.failing[0]).toMatchObject({
      attempts: 2,
      nextAttemptAt: new Date(T0 + 3000).toISOString(),
    });

    target.down = false;
    await outbox.deliver(T0 + 3000);
    expect(target.sent.map(s => s.event)).toEqual(['firing']);
    expect(await outbox.health()).toEqual({
      status: 'ok',
      pending: 0,
      failing: [],
    });
  });

  it('counts security events by event name per service and region', async () => {
    const { telemetry, evaluator } = await setUp(id, [
      {
        id: 'login-failures',
        series: 'security_events',
        eventName: 'auth.login.failed',
        window: '5m',
        operator: '>=',
        threshold: 30,
        severity: 'ticket',
      },
    ]);
    await telemetry.insertLogs([
      ...Array.from({ length: 30 }, (_, i) =>
        eventRecord({
          service: 'auth-service',
          region: 'ap-southeast-1',
          timeMs: T0 - MINUTE + i * SECOND,
          eventName: 'auth.login.failed',
        }),
      ),
      ...Array.from({ length: 29 }, (_, i) =>
        eventRecord({
          service: 'auth-service',
          region: 'eu-west-1',
          timeMs: T0 - MINUTE + i * SECOND,
          eventName: 'auth.login.failed',
        }),
      ),
      eventRecord({
        service: 'auth-service',
        region: 'eu-west-1',
        timeMs: T0 - MINUTE,
        eventName: 'security.threat.detected',
      }),
    ]);

    const { fired } = await evaluator.evaluate(T0);
    expect(
      fired.map(a => [a.service, a.region, a.value, a.labels.eventName]),
    ).toEqual([['auth-service', 'ap-southeast-1', 30, 'auth.login.failed']]);
  });

  it('takes p95 by nearest rank: 19 requests of 100 ms and one of 10 s give 100 ms', async () => {
    const { telemetry, evaluator } = await setUp(id, [
      {
        id: 'quiz-latency',
        series: 'p95',
        window: '5m',
        operator: '>',
        threshold: 99,
        severity: 'ticket',
      },
    ]);
    await telemetry.insertSpans(
      Array.from({ length: 20 }, (_, i) =>
        requestSpan({
          service: 'quiz-service',
          region: 'eu-west-1',
          startMs: T0 - MINUTE + i * SECOND,
          durationMs: i === 7 ? 10_000 : 100,
        }),
      ),
    );

    const { fired } = await evaluator.evaluate(T0);
    expect(fired.map(a => a.value)).toEqual([100]);
  });

  it('raises nothing and reports no data for a window without traffic', async () => {
    const { evaluator, slos } = await setUp(
      id,
      [{ ...QUIZ_ERRORS, for: '0s', operator: '<', threshold: 1 }],
      true,
    );

    expect(await evaluator.evaluate(T0)).toMatchObject({
      breaches: 0,
      fired: [],
      resolved: [],
    });
    expect(await slos.list(T0)).toEqual([]);
  });

  it('works out burn rates and error budgets per window as computed by hand', async () => {
    const { telemetry, slos, evaluator } = await setUp(id, [], true);
    // 100 requests two minutes ago: 2 fail, 10 take 3 s. 900 fine ones
    // fifty minutes ago, outside the 5 and 30 minute windows.
    await telemetry.insertSpans([
      ...Array.from({ length: 100 }, (_, i) =>
        requestSpan({
          service: 'payment-service',
          region: 'us-east-1',
          startMs: T0 - 2 * MINUTE + i * 100,
          durationMs: i < 10 ? 3000 : 100,
          failed: i >= 98,
        }),
      ),
      ...Array.from({ length: 900 }, (_, i) =>
        requestSpan({
          service: 'payment-service',
          region: 'us-east-1',
          startMs: T0 - 50 * MINUTE + i * 100,
          durationMs: 100,
        }),
      ),
    ]);

    const [slo] = await slos.list(T0);
    expect(slo.id).toBe('payment-service@us-east-1');
    const byName = Object.fromEntries(slo.objectives.map(o => [o.name, o]));

    // availability: 2/100 over 0.1% = 20 short, 2/1000 over 0.1% = 2 long
    const availability = byName.availability;
    for (const [window, rate] of Object.entries({
      '5m': 20,
      '30m': 20,
      '1h': 2,
      '6h': 2,
      '3d': 2,
    })) {
      expect(availability.burnRates[window]).toBeCloseTo(rate, 9);
    }
    expect(availability.alerts.map(a => [a.tier, a.burning])).toEqual([
      ['fast', false],
      ['medium', false],
      ['slow', true],
    ]);
    expect(availability.errorBudget.remainingFraction).toBeCloseTo(-1, 9);
    expect(availability.errorBudget.remainingSeconds).toBe(0);
    expect(availability.status).toBe('breached');

    // latency: 10/100 slow over 5% = 2 short, 10/1000 over 5% = 0.2 long
    expect(byName.latency.burnRates['5m']).toBeCloseTo(2, 9);
    expect(byName.latency.burnRates['1h']).toBeCloseTo(0.2, 9);
    expect(byName.latency.errorBudget.remainingFraction).toBeCloseTo(0.8, 9);
    // 80% of 5% of 30 days
    expect(byName.latency.errorBudget.remainingSeconds).toBeCloseTo(
      0.8 * 0.05 * 30 * 86400,
      3,
    );

    // error rate: 2/100 over 1% = 2 short, 0.2 long
    expect(byName.error_rate.burnRates['30m']).toBeCloseTo(2, 9);
    expect(byName.error_rate.burnRates['6h']).toBeCloseTo(0.2, 9);
    expect(byName.error_rate.errorBudget.remainingSeconds).toBeCloseTo(
      0.8 * 0.01 * 30 * 86400,
      3,
    );

    const { fired } = await evaluator.evaluate(T0);
    expect(fired.map(a => [a.ruleId, a.severity])).toEqual([
      ['slo-availability-slow', 'ticket'],
    ]);
  });
});

describe('the same alerts on both databases', () => {
  it('gives identical alerts, counts, timestamps and MTTA/MTTR on SQLite and PostgreSQL', async () => {
    const outcomes: unknown[] = [];

    for (const [id] of databases.eachSupportedId()) {
      const { telemetry, store, evaluator } = await setUp(id, [QUIZ_ERRORS]);
      const alerts = new AlertService({
        store,
        rules: new RuleRegistry(store, [], []),
        evaluator,
        permissions: mockServices.permissions(),
      });
      const ada = mockCredentials.user('user:default/ada');

      await telemetry.insertSpans(failingQuizRequests(T0 - MINUTE));
      await evaluator.evaluate(T0);
      const [first] = (await evaluator.evaluate(T0 + MINUTE)).fired;
      await alerts.acknowledge(first.id, 'on it', ada, T0 + 90 * SECOND);
      await evaluator.evaluate(T0 + 5 * MINUTE);

      await telemetry.insertSpans(failingQuizRequests(T0 + 5 * MINUTE));
      await evaluator.evaluate(T0 + 5 * MINUTE + 20 * SECOND);
      const [second] = (await evaluator.evaluate(T0 + 6 * MINUTE + 20 * SECOND))
        .fired;
      await alerts.resolve(second.id, 'deployed a fix', ada, T0 + 7 * MINUTE);

      outcomes.push({
        list: await alerts.list({ limit: 10, offset: 0 }, T0 + 8 * MINUTE),
        history: await alerts.history({ fromMs: T0, toMs: T0 + 10 * MINUTE }),
      });
    }

    expect(outcomes).toHaveLength(2);
    expect(outcomes[0]).toEqual(outcomes[1]);
    expect((outcomes[0] as any).history.services).toEqual([
      {
        service: 'quiz-service',
        region: 'eu-west-1',
        alerts: 2,
        acknowledged: 1,
        resolved: 2,
        // Acknowledged 30 s after firing; resolved after 240 s and 40 s.
        mttaSeconds: 30,
        mttrSeconds: 140,
      },
    ]);
    expect((outcomes[0] as any).list.total).toBe(2);
  });
});
