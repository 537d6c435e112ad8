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
 * replica per pass. Each entry names the log line that one pass writes.
 * The alert evaluation, the regions' health probes and the zero-trust
 * engine's brute-force detection belong here once their engines exist.
 */
const SCHEDULED_TASKS = [
  {
    pluginId: 'observability',
    taskId: 'observability-retention',
    passLine: 'Deleted telemetry past retention',
  },
];

/** Longer than the scheduler's 5 s work check, so a second run would show. */
const SETTLE_MS = 8_000;

const DAY_MS = 24 * 60 * 60 * 1000;

type Replica = { name: string; backend: BackendProcess; lines: string[] };

function hex(bytes: number) {
  return randomBytes(bytes).toString('hex');
}

/** An OTLP/JSON trace export of one server span per id, at a given time. */
function traceExport(service: string, traceIds: string[], atMs: number) {
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
                  value: { intValue: '200' },
                },
              ],
              status: {},
            })),
          },
        ],
      },
    ],
  };
}

async function call(
  replica: Replica,
  method: 'GET' | 'POST',
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
  const before = passes(all, task.passLine).length;

  let accepted = false;
  while (!accepted) {
    accepted = await trigger(via, task);
    if (!accepted) {
      await new Promise(r => setTimeout(r, 1000));
    }
  }

  await waitFor(`a pass of ${task.taskId}`, () => {
    return passes(all, task.passLine).length > before;
  });
  await new Promise(r => setTimeout(r, SETTLE_MS));
  return passes(all, task.passLine).slice(before);
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
    'runs $taskId once per pass across both replicas',
    async task => {
      const [a, b] = replicas;
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
    await exportTraces(a, traceExport(service, oldTraces, oldMs));
    const window = [oldMs - 60_000, oldMs + 60_000] as const;
    expect(await listTraces(b, service, ...window)).toHaveLength(3);

    const [pass] = await runOnePass(b, replicas, SCHEDULED_TASKS[0]);

    // The one pass deleted the three spans; the other replica deleted none.
    expect(pass.output).toMatch(/\bspans"?[=:]3\b/);
    expect(await listTraces(a, service, ...window)).toEqual([]);
    expect(await listTraces(b, service, ...window)).toEqual([]);
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
    for (const task of SCHEDULED_TASKS) {
      const pass = await runOnePass(b, [b], task);
      expect(pass.map(p => p.replica)).toEqual(['replica-b']);
    }
  });
});
