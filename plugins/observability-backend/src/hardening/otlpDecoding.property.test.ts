import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { isError } from '@backstage/errors';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import request from 'supertest';
import { observabilityPlugin } from '../plugin';
import {
  decodeExportRequest,
  ExportLogsServiceRequest,
  ExportMetricsServiceRequest,
  ExportTraceServiceRequest,
} from '../otlp/protobuf';
import { readLogsRequest } from '../otlp/readLogsRequest';
import { readMetricsRequest } from '../otlp/readMetricsRequest';
import { readTraceRequest } from '../otlp/readTraceRequest';

/*
 * Whatever bytes or JSON an exporter sends, the OTLP readers answer with a
 * result or an InputError naming the problem, and the HTTP routes with 200
 * or a 4xx, never a 500.
 */

jest.setTimeout(120_000);

const CORPUS = resolve(__dirname, '../../../../../shared/corpus/otlp/examples');
const SERVICE = mockCredentials.service.header();

const corpus = {
  traces: JSON.parse(readFileSync(resolve(CORPUS, 'trace.json'), 'utf8')),
  logs: JSON.parse(readFileSync(resolve(CORPUS, 'logs.json'), 'utf8')),
  metrics: JSON.parse(readFileSync(resolve(CORPUS, 'metrics.json'), 'utf8')),
};

/** Every path to a value inside a JSON document. */
function pathsOf(value: unknown, path: (string | number)[] = []) {
  const paths: (string | number)[][] = [path];
  if (value && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      paths.push(
        ...pathsOf(child, [...path, Array.isArray(value) ? Number(key) : key]),
      );
    }
  }
  return paths;
}

/** A copy of the document with the value at the path replaced. */
function replaceAt(document: unknown, path: (string | number)[], value: any) {
  if (path.length === 0) {
    return value;
  }
  const copy = structuredClone(document) as any;
  let node = copy;
  for (const key of path.slice(0, -1)) {
    node = node[key];
  }
  node[path[path.length - 1]] = value;
  return copy;
}

/** A real export with one of its values swapped for arbitrary JSON. */
function mutatedExport(document: unknown) {
  const paths = pathsOf(document);
  return fc
    .tuple(fc.nat(paths.length - 1), fc.jsonValue({ maxDepth: 3 }))
    .map(([index, value]) => replaceAt(document, paths[index], value));
}

/** 'result', or the name of the error the call threw. */
function outcome(read: () => unknown): string {
  try {
    read();
    return 'result';
  } catch (error) {
    return isError(error) ? error.name : 'not an Error';
  }
}

const RESULT_OR_INPUT_ERROR = ['result', 'InputError'];

describe('OTLP readers on arbitrary input', () => {
  const readers = {
    traces: (body: unknown) => readTraceRequest(body),
    logs: (body: unknown) =>
      readLogsRequest(body, String(BigInt(Date.now()) * 1_000_000n)),
    metrics: (body: unknown) => readMetricsRequest(body),
  };

  it.each(Object.keys(readers) as Array<keyof typeof readers>)(
    'reads any %s document to a result or an InputError',
    signal => {
      fc.assert(
        fc.property(
          fc.oneof(fc.anything(), mutatedExport(corpus[signal])),
          body => {
            expect(RESULT_OR_INPUT_ERROR).toContain(
              outcome(() => readers[signal](body)),
            );
          },
        ),
        { numRuns: 500 },
      );
    },
  );

  it.each([
    ['traces', ExportTraceServiceRequest, readers.traces],
    ['logs', ExportLogsServiceRequest, readers.logs],
    ['metrics', ExportMetricsServiceRequest, readers.metrics],
  ] as const)(
    'decodes any bytes as a %s protobuf message to a result or an error',
    (_signal, type, read) => {
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 512 }), bytes => {
          let decoded: unknown;
          const decoding = outcome(() => {
            decoded = decodeExportRequest(type, bytes);
          });
          // The receiver turns any Error of the decoder into an
          // InputError; what the reader makes of a decoded message must
          // be an InputError itself.
          const reading =
            decoding === 'result' ? outcome(() => read(decoded)) : 'InputError';

          expect(decoding).not.toBe('not an Error');
          expect(RESULT_OR_INPUT_ERROR).toContain(reading);
        }),
        { numRuns: 1000 },
      );
    },
  );
});

describe('OTLP routes on arbitrary bodies', () => {
  let server: Awaited<ReturnType<typeof startTestBackend>>['server'];
  let stop: () => Promise<void>;

  beforeAll(async () => {
    const backend = await startTestBackend({
      features: [
        observabilityPlugin,
        mockServices.rootConfig.factory({
          data: { observability: { trafficGenerator: { enabled: false } } },
        }),
      ],
    });
    server = backend.server;
    stop = () => backend.stop();
  });

  afterAll(async () => {
    await stop?.();
  });

  const ACCEPTED = [200, 400, 413, 415];

  async function post(
    signal: string,
    contentType: string,
    body: Buffer,
    gzip = false,
  ) {
    let call = request(server)
      .post(`/api/observability/v1/${signal}`)
      .set('Authorization', SERVICE)
      .set('Content-Type', contentType);
    if (gzip) {
      call = call.set('Content-Encoding', 'gzip');
    }
    const response = await call.send(gzip ? gzipSync(body) : body);
    return response.status;
  }

  const signals = fc.constantFrom('traces', 'logs', 'metrics');

  it('answers arbitrary bytes in either encoding with 200 or a 4xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        signals,
        fc.constantFrom('application/x-protobuf', 'application/json'),
        fc.uint8Array({ maxLength: 256 }),
        fc.boolean(),
        async (signal, contentType, bytes, gzip) => {
          const status = await post(
            signal,
            contentType,
            Buffer.from(bytes),
            gzip,
          );
          expect(ACCEPTED).toContain(status);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('answers real exports with one value changed with 200 or a 400', async () => {
    await fc.assert(
      fc.asyncProperty(
        signals.chain(signal =>
          fc.tuple(
            fc.constant(signal),
            mutatedExport(corpus[signal as keyof typeof corpus]),
          ),
        ),
        async ([signal, document]) => {
          const status = await post(
            signal,
            'application/json',
            Buffer.from(JSON.stringify(document) ?? ''),
          );
          expect([200, 400]).toContain(status);
        },
      ),
      { numRuns: 200 },
    );
  });
});
