import { BackendProcess } from '@internal/backend-test-process';
import { randomBytes } from 'node:crypto';
import { stripVTControlCharacters } from 'node:util';
import {
  AUTOMATION_TOKEN,
  startPortalBackend,
} from './__testUtils__/portalBackend';
import {
  dropDatabases,
  POSTGRES_URL,
  productionProfile,
} from './__testUtils__/production';

/*
 * Two portal backends on one set of PostgreSQL databases, as
 * deploy/portal/kubernetes runs them: the production config, one database
 * prefix shared by both replicas and new for each run.
 */

jest.setTimeout(300_000);

/**
 * Work on Backstage's scheduler with global scope, which must run on one
 * replica per pass. A task that runs hourly names the log line one pass
 * writes, and is triggered pass by pass; the alert evaluation (every
 * second) and the regions' health probes (every second) are checked by
 * what they leave behind instead: one alert per breach, one probe round
 * per interval. The zero-trust engine's brute-force detection is no
 * scheduled task: it runs on each reported login, against the shared
 * database, and is checked with logins split across the replicas.
 */
const SCHEDULED_TASKS: Array<{
  pluginId: string;
  taskId: string;
  passLine?: string;
}> = [
  {
    pluginId: 'observability',
    taskId: 'observability-retention',
    passLine: 'Deleted telemetry past retention',
  },
  { pluginId: 'observability', taskId: 'observability-alert-evaluation' },
  { pluginId: 'regions', taskId: 'regions-health-probe' },
];

const TRIGGERED_TASKS = SCHEDULED_TASKS.filter(task => task.passLine);

/** Longer than the scheduler's 5 s work check, so a second run would show. */
const SETTLE_MS = 8_000;

const DAY_MS = 24 * 60 * 60 * 1000;

type Replica = { name: string; backend: BackendProcess; lines: string[] };

function hex(bytes: number) {
  return randomBytes(bytes).toString('hex');
}

/** An OTLP/JSON trace export of one server span per id, at a given time. */
function traceExport(
  service: string,
  traceIds: string[],
  atMs: number,
  statusCode = 200,
) {
  const startNs = BigInt(atMs) * 1_000_000n;
  return {
    resourceSpans: [
      {
        resource: {
          attributes: [
            { key: 'service.name', value: { stringValue: service } },
            { key: 'cloud.region', value: { stringValue: 'eu-west-1' } },
          ],
        },
        scopeSpans: [
          {
            spans: traceIds.map(traceId => ({
              traceId,
              spanId: hex(8),
              name: 'GET /quizzes',
              kind: 2,
              startTimeUnixNano: String(startNs),
              endTimeUnixNano: String(startNs + 20_000_000n),
              attributes: [
                { key: 'http.route', value: { stringValue: '/quizzes' } },
                {
                  key: 'http.response.status_code',
                  value: { intValue: String(statusCode) },
                },
              ],
              status: statusCode >= 500 ? { code: 2 } : {},
            })),
          },
        ],
      },
    ],
  };
}

async function call(
  replica: Replica,
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  body?: unknown,
) {
  return fetch(`${replica.backend.baseUrl}${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${AUTOMATION_TOKEN}`,
      ...(body ? { 'Content-Type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
}

async function exportTraces(replica: Replica, body: unknown) {
  const response = await call(
    replica,
    'POST',
    '/api/observability/v1/traces',
    body,
  );
  if (!response.ok) {
    throw new Error(
      `${replica.name} answered the export with ${
        response.status
      }: ${await response.text()}`,
    );
  }
}

/** The traces of a service that a replica lists in a window. */
async function listTraces(
  replica: Replica,
  service: string,
  fromMs: number,
  toMs = Date.now() + 60_000,
) {
  const query = new URLSearchParams({
    service,
    from: new Date(fromMs).toISOString(),
    to: new Date(toMs).toISOString(),
    limit: '1000',
  });
  const response = await call(
    replica,
    'GET',
    `/api/observability/traces?${query}`,
  );
  if (!response.ok) {
    throw new Error(`${replica.name} answered ${response.status}`);
  }
  const body = await response.json();
  return (body.traces as Array<{ traceId: string; spanCount: number }>)
    .map(trace => `${trace.traceId}:${trace.spanCount}`)
    .sort();
}

/** Asks a replica's scheduler to run a task now; false while it runs. */
async function trigger(
  replica: Replica,
  task: (typeof SCHEDULED_TASKS)[number],
) {
  const response = await call(
    replica,
    'POST',
    `/api/${task.pluginId}/.backstage/scheduler/v1/tasks/${task.taskId}/trigger`,
  );
  if (response.status === 409) {
    return false;
  }
  if (!response.ok) {
    throw new Error(
      `${replica.name} refused to trigger ${task.taskId}: ${response.status}`,
    );
  }
  return true;
}

function passes(replicas: Replica[], line: string) {
  return replicas.flatMap(replica =>
    replica.lines
      .filter(output => output.includes(line))
      .map(output => ({ replica: replica.name, output })),
  );
}

/** How many passes each replica has logged so far. */
function passCounts(replicas: Replica[], line: string) {
  return replicas.map(replica => passes([replica], line).length);
}

/**
 * The passes logged since `counts` were taken. Counted per replica: the
 * replicas' lines are kept apart, so a count over all of them together
 * would take an older line of one replica for a new line of the other.
 */
function passesSince(replicas: Replica[], line: string, counts: number[]) {
  return replicas.flatMap((replica, index) =>
    passes([replica], line).slice(counts[index]),
  );
}

async function waitFor(what: string, condition: () => boolean) {
  const deadline = Date.now() + 60_000;
  while (!condition()) {
    if (Date.now() > deadline) {
      throw new Error(`Timed out waiting for ${what}`);
    }
    await new Promise(r => setTimeout(r, 250));
  }
}

/**
 * Triggers a task on one replica until it accepts (it refuses while a
 * pass runs), then waits for the pass and for long enough that a second run
 * anywhere would show. Returns the passes it caused.
 */
async function runOnePass(
  via: Replica,
  all: Replica[],
  task: (typeof SCHEDULED_TASKS)[number],
) {
  const passLine = task.passLine!;
  const before = passCounts(all, passLine);

  let accepted = false;
  while (!accepted) {
    accepted = await trigger(via, task);
    if (!accepted) {
      await new Promise(r => setTimeout(r, 1000));
    }
  }

  await waitFor(`a pass of ${task.taskId}`, () => {
    return passesSince(all, passLine, before).length > 0;
  });
  await new Promise(r => setTimeout(r, SETTLE_MS));
  return passesSince(all, passLine, before);
}

describe('two portal replicas on one PostgreSQL', () => {
  const profile = productionProfile(`tms_replicas_${hex(4)}_`);
  const replicas: Replica[] = [];

  beforeAll(async () => {
    if (!POSTGRES_URL) {
      throw new Error(
        'BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING must name the PostgreSQL server the replicas share',
      );
    }

    // One after the other, as a rollout adds them; the second finds the
    // first one's migrations done.
    for (const name of ['replica-a', 'replica-b']) {
      const replica: Replica = {
        name,
        backend: startPortalBackend(profile),
        lines: [],
      };
      replica.backend.onOutputLine(line =>
        replica.lines.push(stripVTControlCharacters(line)),
      );
      replicas.push(replica);
      await replica.backend.waitUntilReady();
    }
  });

  afterAll(async () => {
    await Promise.all(replicas.map(replica => replica.backend.stop()));
    await dropDatabases(String(profile.database.prefix));
  });

  it.each(SCHEDULED_TASKS)(
    'schedules $taskId with global scope on both replicas',
    async task => {
      for (const replica of replicas) {
        const response = await call(
          replica,
          'GET',
          `/api/${task.pluginId}/.backstage/scheduler/v1/tasks`,
        );
        const { tasks } = await response.json();
        expect(tasks).toContainEqual(
          expect.objectContaining({ taskId: task.taskId, scope: 'global' }),
        );
      }
    },
  );

  it.each(TRIGGERED_TASKS)(
    'runs $taskId once per pass across both replicas',
    async task => {
      const [a, b] = replicas;

      // The pass the start scheduled (or one triggered now) goes first, so
      // that the next scheduled pass is an hour away.
      await runOnePass(a, replicas, task);

      // A trigger makes the task due in the shared database, so both
      // replicas' schedulers see it due and race to claim it. Triggers are
      // sent to one replica at a time: a pass of a task with nothing to do
      // ends in milliseconds, so a second trigger sent "at once" to the
      // other replica can land after it and rightly cause a second pass.
      const perPass = [
        await runOnePass(a, replicas, task),
        await runOnePass(b, replicas, task),
        await runOnePass(a, replicas, task),
        await runOnePass(b, replicas, task),
      ];

      expect(perPass.map(pass => pass.length)).toEqual([1, 1, 1, 1]);
    },
  );

  it('deletes old telemetry once, through whichever replica runs retention', async () => {
    const [a, b] = replicas;
    const service = `retention-${hex(3)}`;
    const oldMs = Date.now() - 30 * DAY_MS;
    const oldTraces = [hex(16), hex(16), hex(16)];
    const passLine = TRIGGERED_TASKS[0].passLine!;
    const before = passCounts(replicas, passLine);

    await exportTraces(a, traceExport(service, oldTraces, oldMs));
    const window = [oldMs - 60_000, oldMs + 60_000] as const;
    expect(await listTraces(b, service, ...window)).toHaveLength(3);

    await runOnePass(b, replicas, TRIGGERED_TASKS[0]);

    // Every pass since the export, the triggered one and any scheduled one
    // that ran meanwhile, deleted the three spans once between them.
    const deleted = passesSince(replicas, passLine, before).map(pass =>
      Number(/\bspans"?[=:](\d+)/.exec(pass.output)?.[1]),
    );
    expect(deleted.reduce((sum, n) => sum + n, 0)).toBe(3);
    expect(await listTraces(a, service, ...window)).toEqual([]);
    expect(await listTraces(b, service, ...window)).toEqual([]);
  });

  it('probes the regions once per round across both replicas', async () => {
    const [a, b] = replicas;
    const history = async (replica: Replica) => {
      const response = await call(
        replica,
        'GET',
        '/api/regions/regions/eu-west-1?history=50',
      );
      const body = await response.json();
      return (body.history as Array<{ checkedAt: string }>)
        .map(h => Date.parse(h.checkedAt))
        .sort((x, y) => x - y);
    };

    const sinceMs = Date.now();
    let rounds: number[] = [];
    const deadline = Date.now() + 60_000;
    while (rounds.length < 4) {
      if (Date.now() > deadline) {
        throw new Error(`Only ${rounds.length} probe rounds in a minute`);
      }
      await new Promise(r => setTimeout(r, 1000));
      rounds = (await history(a)).filter(t => t >= sinceMs);
    }

    // Both replicas read the same rounds; two replicas probing each round
    // would leave pairs of rounds a few milliseconds apart.
    expect((await history(b)).filter(t => t >= sinceMs)).toEqual(
      expect.arrayContaining(rounds),
    );
    const gaps = rounds.slice(1).map((t, i) => t - rounds[i]);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(500);
  });

  it('fires each alert once, whichever replica evaluates', async () => {
    const [a, b] = replicas;
    const service = `outage-${hex(3)}`;
    // 250 failed requests in the last minute: above the 200 a burn-rate
    // window needs before it pages.
    await exportTraces(
      a,
      traceExport(
        service,
        Array.from({ length: 250 }, () => hex(16)),
        Date.now() - 30_000,
        503,
      ),
    );

    const firing = async (replica: Replica) => {
      const response = await call(
        replica,
        'GET',
        `/api/observability/alerts?state=firing&service=${service}&limit=100`,
      );
      const body = await response.json();
      return (body.alerts as Array<{ id: string; ruleId: string }>)
        .map(alert => `${alert.ruleId} ${alert.id}`)
        .sort();
    };
    let ruleIds: string[] = [];
    const deadline = Date.now() + 60_000;
    while (!ruleIds.some(r => r.startsWith('slo-availability-fast '))) {
      if (Date.now() > deadline) {
        throw new Error(`No alert fired for ${service}`);
      }
      await new Promise(r => setTimeout(r, 500));
      ruleIds = await firing(b);
    }
    // Long enough for several more evaluations on either replica.
    await new Promise(r => setTimeout(r, SETTLE_MS));

    ruleIds = await firing(a);
    expect(await firing(b)).toEqual(ruleIds);
    const rules = ruleIds.map(r => r.split(' ')[0]);
    expect(new Set(rules).size).toBe(rules.length);
    // Each alert was fired by one evaluation on one replica. (The log's
    // own `service` field is Backstage's; the alert id names the alert.)
    for (const alert of ruleIds) {
      const id = alert.split(' ')[1];
      expect(
        passes(replicas, 'Alert fired').filter(p => p.output.includes(id)),
      ).toHaveLength(1);
    }
  });

  it('blocks a brute force split across both replicas, for both', async () => {
    const [a, b] = replicas;
    const attacker = '203.0.113.77';
    let attempts = 0;
    let blocked = false;
    while (!blocked && attempts < 100) {
      const replica = attempts % 2 === 0 ? a : b;
      const response = await call(replica, 'POST', '/api/zero-trust/logins', {
        user: `user${attempts}@tms.example.com`,
        outcome: 'failed',
        clientAddress: attacker,
      });
      expect(response.status).toBe(201);
      blocked = (await response.json()).blocked;
      attempts += 1;
    }

    // The default limit: 20 failures from one address in a minute, counted
    // over both replicas' reports.
    expect(attempts).toBe(20);
    for (const replica of [a, b]) {
      const response = await call(replica, 'GET', '/api/zero-trust/blocks');
      const { blocks } = await response.json();
      expect(blocks).toContainEqual(
        expect.objectContaining({ clientAddress: attacker }),
      );
    }
  });

  it('shows telemetry ingested through either replica through both, stored once', async () => {
    const [a, b] = replicas;
    const service = `shared-${hex(3)}`;
    const startMs = Date.now() - 60_000;
    const throughA = [hex(16), hex(16)];
    const throughB = [hex(16), hex(16), hex(16)];

    await exportTraces(a, traceExport(service, throughA, startMs));
    await exportTraces(b, traceExport(service, throughB, startMs));
    // An exporter's retry that a load balancer sends to the other replica.
    const retried = traceExport(service, [hex(16)], startMs);
    await exportTraces(a, retried);
    await exportTraces(b, retried);

    const expected = [
      ...throughA,
      ...throughB,
      retried.resourceSpans[0].scopeSpans[0].spans[0].traceId,
    ]
      .map(id => `${id}:1`)
      .sort();
    expect(await listTraces(a, service, startMs - 1000)).toEqual(expected);
    expect(await listTraces(b, service, startMs - 1000)).toEqual(expected);
  });

  it('keeps serving through one replica while the other stops mid-work', async () => {
    const [a, b] = replicas;
    const service = `failover-${hex(3)}`;
    const startMs = Date.now() - 60_000;
    const acknowledged: string[] = [];
    let failedOverToB = 0;

    // An exporter behind a load balancer: batches alternate between the
    // replicas, and a batch a replica does not take goes to the other one.
    let stopping: Promise<void> | undefined;
    for (let batch = 0; batch < 40; batch++) {
      if (batch === 10) {
        stopping = a.backend.stop();
      }
      const traceIds = [hex(16), hex(16), hex(16)];
      const body = traceExport(service, traceIds, startMs);
      const first = batch % 2 === 0 ? a : b;
      try {
        await exportTraces(first, body);
      } catch {
        failedOverToB += 1;
        await exportTraces(b, body);
      }
      acknowledged.push(...traceIds);
      await new Promise(r => setTimeout(r, 50));
    }
    await stopping;

    expect(failedOverToB).toBeGreaterThan(0);
    expect(
      (await fetch(`${b.backend.baseUrl}/.backstage/health/v1/readiness`))
        .status,
    ).toBe(200);
    expect(await listTraces(b, service, startMs - 1000)).toEqual(
      acknowledged.map(id => `${id}:1`).sort(),
    );

    // Scheduled work goes on without the stopped replica.
    for (const task of TRIGGERED_TASKS) {
      const pass = await runOnePass(b, [b], task);
      expect(pass.map(p => p.replica)).toEqual(['replica-b']);
    }
  });
});
