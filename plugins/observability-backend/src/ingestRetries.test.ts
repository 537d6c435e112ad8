import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import request from 'supertest';
import {
  ExportLogsServiceRequest,
  ExportTraceServiceRequest,
} from './otlp/protobuf';
import { observabilityPlugin } from './plugin';

const SERVICE = mockCredentials.service.header();
const USER = mockCredentials.user.header();

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

const RESOURCE = {
  attributes: [
    { key: 'service.name', value: { stringValue: 'feedback-service' } },
    { key: 'cloud.region', value: { stringValue: 'us-east-1' } },
  ],
};

/** Two server spans of feedback-service, one of them failed. */
const traceExport = {
  resourceSpans: [
    {
      resource: RESOURCE,
      scopeSpans: [
        {
          spans: ['1', '2'].map(n => ({
            traceId: `5${n}`.padEnd(32, 'a'),
            spanId: `6${n}`.padEnd(16, 'b'),
            name: 'POST /feedback',
            kind: 2,
            startTimeUnixNano: '1796299200000000000',
            endTimeUnixNano: '1796299200040000000',
            attributes: [
              {
                key: 'http.response.status_code',
                value: { intValue: n === '1' ? 201 : 503 },
              },
            ],
          })),
        },
      ],
    },
  ],
};

const logsExport = {
  resourceLogs: [
    {
      resource: RESOURCE,
      scopeLogs: [
        {
          logRecords: [
            {
              timeUnixNano: '1796299200040000000',
              severityNumber: 17,
              body: { stringValue: 'POST /feedback failed with 503' },
              traceId: '52'.padEnd(32, 'a'),
              spanId: '62'.padEnd(16, 'b'),
            },
          ],
        },
      ],
    },
  ],
};

/** The value of one series in a Prometheus exposition, or undefined. */
function sample(exposition: string, series: string) {
  const line = exposition.split('\n').find(l => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : undefined;
}

/*
 * OTLP exporters retry an export whose answer they did not get: the second
 * copy must change neither what is stored nor what is counted.
 */
describe.each(databases.eachSupportedId())(
  'a retried export on %s',
  databaseId => {
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
    });

    const exportTwice = async (path: string, body: Buffer) => {
      for (let attempt = 0; attempt < 2; attempt++) {
        const exported = await request(server)
          .post(`/api/observability${path}`)
          .set('Authorization', SERVICE)
          .set('Content-Type', 'application/x-protobuf')
          .send(body);
        expect(exported.status).toBe(200);
      }
    };

    it('counts the requests of its spans once', async () => {
      await exportTwice(
        '/v1/traces',
        Buffer.from(
          ExportTraceServiceRequest.encode(
            ExportTraceServiceRequest.fromObject(
              JSON.parse(
                JSON.stringify(traceExport).replace(
                  /"(traceId|spanId)":"([0-9a-f]+)"/g,
                  (_, key, hex) =>
                    `"${key}":"${Buffer.from(hex, 'hex').toString('base64')}"`,
                ),
              ),
            ),
          ).finish(),
        ),
      );

      const metrics = await request(server)
        .get('/api/observability/metrics')
        .set('Authorization', USER);
      const labels =
        '{service="feedback-service",route="POST /feedback",region="us-east-1"}';

      expect(sample(metrics.text, `tms_requests_total${labels}`)).toBe(2);
      expect(sample(metrics.text, `tms_request_errors_total${labels}`)).toBe(1);
      expect(
        sample(metrics.text, `tms_request_duration_seconds_count${labels}`),
      ).toBe(2);
      expect(
        sample(
          metrics.text,
          'tms_observability_ingested_items_total{signal="traces"}',
        ),
      ).toBe(2);
    });

    it('stores and counts its log records once', async () => {
      await exportTwice(
        '/v1/logs',
        Buffer.from(
          ExportLogsServiceRequest.encode(
            ExportLogsServiceRequest.fromObject({
              resourceLogs: [
                {
                  ...logsExport.resourceLogs[0],
                  scopeLogs: [
                    {
                      logRecords: [
                        {
                          ...logsExport.resourceLogs[0].scopeLogs[0]
                            .logRecords[0],
                          traceId: Buffer.from('52'.padEnd(32, 'a'), 'hex'),
                          spanId: Buffer.from('62'.padEnd(16, 'b'), 'hex'),
                        },
                      ],
                    },
                  ],
                },
              ],
            }),
          ).finish(),
        ),
      );
      // The same record in the other encoding is the same record.
      const asJson = await request(server)
        .post('/api/observability/v1/logs')
        .set('Authorization', SERVICE)
        .send(logsExport);
      expect(asJson.status).toBe(200);

      const found = await request(server)
        .get('/api/observability/logs')
        .query({
          service: 'feedback-service',
          from: '2026-12-03T12:00:00Z',
          to: '2026-12-03T12:01:00Z',
        })
        .set('Authorization', USER);
      const metrics = await request(server)
        .get('/api/observability/metrics')
        .set('Authorization', USER);

      expect(found.status).toBe(200);
      expect(found.body.logs.map((l: { body: string }) => l.body)).toEqual([
        'POST /feedback failed with 503',
      ]);
      expect(
        sample(
          metrics.text,
          'tms_observability_ingested_items_total{signal="logs"}',
        ),
      ).toBe(1);
    });
  },
);
