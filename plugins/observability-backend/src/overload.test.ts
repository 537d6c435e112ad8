import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import request from 'supertest';
import { observabilityPlugin } from './plugin';

const SERVICE = mockCredentials.service.header();
const USER = mockCredentials.user.header();

/** A log export of one record with the given body text. */
function logExport(text: string) {
  return JSON.stringify({
    resourceLogs: [
      {
        resource: {
          attributes: [
            { key: 'service.name', value: { stringValue: 'load-test' } },
          ],
        },
        scopeLogs: [
          {
            logRecords: [
              {
                timeUnixNano: '1764842400000000000',
                severityNumber: 9,
                body: { stringValue: text },
              },
            ],
          },
        ],
      },
    ],
  });
}

/**
 * Starts an export whose body arrives only when `finish` is called, so
 * that the engine holds it in flight meanwhile.
 */
function slowExport(port: number, body: string) {
  const slow = {
    finish: () => {},
    answer: undefined as unknown as Promise<{ status: number; body: string }>,
  };
  slow.answer = new Promise<{ status: number; body: string }>(
    (resolve, reject) => {
      const req = http.request(
        {
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: '/api/observability/v1/logs',
          headers: {
            Authorization: SERVICE,
            'Content-Type': 'application/json',
            'Content-Length': Buffer.byteLength(body),
          },
        },
        res => {
          let text = '';
          res.on('data', chunk => (text += chunk));
          res.on('end', () => resolve({ status: res.statusCode!, body: text }));
        },
      );
      req.on('error', reject);
      req.write(body.slice(0, 10));
      slow.finish = () => req.end(body.slice(10));
    },
  );
  return slow;
}

async function startEngine(ingest: Record<string, number>) {
  const { server } = await startTestBackend({
    features: [
      observabilityPlugin,
      mockServices.database.factory(),
      mockServices.rootConfig.factory({
        data: { observability: { ingest } },
      }),
    ],
  });
  return server;
}

const countLogs = async (server: http.Server) => {
  const response = await request(server)
    .get(
      '/api/observability/logs?service=load-test&from=2025-12-04T09:00:00Z&to=2025-12-04T11:00:00Z',
    )
    .set('Authorization', USER);
  return response.body.logs.map((log: { body: string }) => log.body).sort();
};

/** Waits until the engine has taken the first export in. */
const settle = () => new Promise(resolve => setTimeout(resolve, 200));

describe('ingest under overload', () => {
  it('refuses an export beyond the concurrent limit with 429 and stores nothing of it', async () => {
    const server = await startEngine({ maxConcurrentRequests: 1 });
    const { port } = server.address() as AddressInfo;

    const first = slowExport(port, logExport('first'));
    await settle();

    const second = await request(server)
      .post('/api/observability/v1/logs')
      .set('Authorization', SERVICE)
      .set('Content-Type', 'application/json')
      .send(logExport('second'));

    expect(second.status).toBe(429);
    expect(second.headers['retry-after']).toBe('1');
    expect(second.body.error).toEqual({
      name: 'IngestOverloadedError',
      message: 'The engine is working on 1 exports, its limit; retry in 1 s',
    });

    first.finish();
    expect((await first.answer).status).toBe(200);

    // Once the first is done, the door is open again.
    const third = await request(server)
      .post('/api/observability/v1/logs')
      .set('Authorization', SERVICE)
      .set('Content-Type', 'application/json')
      .send(logExport('third'));
    expect(third.status).toBe(200);
    expect(await countLogs(server)).toEqual(['first', 'third']);
  });

  it('refuses an export that would pass the bytes in flight', async () => {
    const body = logExport('held');
    const server = await startEngine({
      maxBodyBytes: Buffer.byteLength(body) + 50,
      maxInFlightBytes: Buffer.byteLength(body) + 100,
      retryAfterSeconds: 5,
    });
    const { port } = server.address() as AddressInfo;

    const first = slowExport(port, body);
    await settle();

    const second = await request(server)
      .post('/api/observability/v1/logs')
      .set('Authorization', SERVICE)
      .set('Content-Type', 'application/json')
      .send(logExport('too much'));

    expect(second.status).toBe(429);
    expect(second.headers['retry-after']).toBe('5');
    expect(second.body.error.message).toMatch(
      /^An export of \d+ bytes would put the engine over its \d+ bytes in flight; retry in 5 s$/,
    );

    first.finish();
    expect((await first.answer).status).toBe(200);
    expect(await countLogs(server)).toEqual(['held']);
  });

  it('refuses in-flight bytes below the body limit at startup', async () => {
    await expect(
      startEngine({ maxBodyBytes: 2000, maxInFlightBytes: 1000 }),
    ).rejects.toThrow(
      'observability.ingest.maxInFlightBytes (1000) must be at least observability.ingest.maxBodyBytes (2000)',
    );
  });
});
