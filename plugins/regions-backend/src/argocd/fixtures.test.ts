import fs from 'node:fs';
import path from 'node:path';
import {
  applicationSchema,
  compileCrdSchema,
  CrdSchema,
  describeErrors,
  referenceApplicationFile,
  withUnknownFieldsRejected,
} from '../__testUtils__/argocdCrd';
import { readCorpusYaml } from '../__testUtils__/corpus';
import { ArgoApplication } from './ArgoCdClient';

/*
 * The Argo CD answers under fixtures/argocd are generated, not recorded
 * (see SOURCES.md there), so they are checked here against the real
 * Application CRD's openAPIV3Schema from the shared corpus: what the
 * rollout tests read must be something a real Argo CD can answer.
 */

const fixturesDir = path.resolve(__dirname, '../../fixtures/argocd');
const fixtureFiles = fs
  .readdirSync(fixturesDir)
  .filter(f => /^applications-.+\.json$/.test(f))
  .sort();

const schema = applicationSchema();
/** As the API server validates: the CRD schema as it is. */
const validate = compileCrdSchema(schema);
/** Also reporting fields the API server would prune as undeclared. */
const validateDeclared = compileCrdSchema(withUnknownFieldsRejected(schema));

function readList(file: string): { items: ArgoApplication[] } {
  return JSON.parse(fs.readFileSync(path.join(fixturesDir, file), 'utf8'));
}

/** Every error of every item of a fixture file, naming file, item and path. */
function fixtureErrors(file: string, check: typeof validate): string[] {
  return readList(file).items.flatMap((item, i) => {
    const where = `${file} items[${i}] (${item.metadata?.name})`;
    return check(item) ? [] : describeErrors(where, check.errors);
  });
}

type DeepRequired<T> = T extends Array<infer U>
  ? Array<DeepRequired<U>>
  : T extends object
  ? { [K in keyof T]-?: DeepRequired<T[K]> }
  : T;

/**
 * One value for every field of ArgoApplication, the part of an Application
 * the client and RolloutService read. The type makes it complete: a field
 * added to ArgoApplication must be added here, and so gets checked against
 * the CRD below.
 */
const everyFieldRead: DeepRequired<ArgoApplication> = {
  metadata: {
    name: 'api-gateway-us-east-1',
    labels: { app: 'api-gateway' },
    annotations: { 'tms.example.com/active-color': 'blue' },
  },
  spec: {
    source: { repoURL: 'https://x', targetRevision: 'main', path: 'deploy' },
    destination: { name: 'tms-us-east-1', server: 'https://x', namespace: 't' },
  },
  status: {
    sync: { status: 'Synced', revision: 'abc' },
    health: { status: 'Healthy', message: 'ok' },
    history: [
      {
        id: 1,
        revision: 'abc',
        deployedAt: '2026-12-03T08:41:09Z',
        deployStartedAt: '2026-12-03T08:40:21Z',
      },
    ],
    operationState: {
      phase: 'Succeeded',
      finishedAt: '2026-12-03T08:41:09Z',
      message: 'ok',
    },
    reconciledAt: '2026-12-03T08:45:00Z',
    summary: { images: ['ghcr.io/tms-platform/api-gateway:abc'] },
  },
};

/** Where a field the code reads is missing from the CRD or has another type. */
function undeclaredReads(
  value: unknown,
  node: CrdSchema | undefined,
  at: string,
): string[] {
  if (!node) return [`${at}: not declared in the CRD schema`];
  let expected: string = typeof value;
  if (Array.isArray(value)) expected = 'array';
  if (typeof value === 'number') expected = 'integer';
  if (node.type !== expected) {
    return [`${at}: read as ${expected}, the CRD declares ${node.type}`];
  }
  if (Array.isArray(value)) {
    return undeclaredReads(value[0], node.items, `${at}[]`);
  }
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, child]) =>
      undeclaredReads(child, node.properties?.[key], `${at}.${key}`),
    );
  }
  return [];
}

describe('Argo CD fixtures against the corpus Application CRD', () => {
  it('has a fixture per region', () => {
    expect(fixtureFiles).toEqual([
      'applications-ap-southeast-1.json',
      'applications-eu-west-1.json',
      'applications-us-east-1.json',
    ]);
  });

  it.each(fixtureFiles)('%s: every item is a valid Application', file => {
    expect(readList(file).items.length).toBeGreaterThan(0);
    expect(fixtureErrors(file, validate)).toEqual([]);
  });

  it.each(fixtureFiles)(
    '%s: every field is one the CRD declares (none the API server would prune)',
    file => {
      expect(fixtureErrors(file, validateDeclared)).toEqual([]);
    },
  );

  it.each(fixtureFiles)(
    '%s: every item carries the status the rollout view reads',
    file => {
      for (const item of readList(file).items) {
        expect(item.metadata.labels).toHaveProperty(['tms.example.com/region']);
        expect(item.status?.sync).toEqual(
          expect.objectContaining({
            status: expect.any(String),
            revision: expect.stringMatching(/^[0-9a-f]{40}$/),
          }),
        );
        expect(item.status?.health?.status).toEqual(expect.any(String));
        expect(item.status?.history?.length).toBeGreaterThan(0);
        expect(item.status?.operationState?.phase).toEqual(expect.any(String));
      }
    },
  );

  it('declares every status and spec field the client and RolloutService read, with the type they read', () => {
    // metadata is Kubernetes' ObjectMeta, which the CRD leaves to the API
    // server: it only declares it an object.
    expect(schema.properties?.metadata?.type).toBe('object');
    const { metadata: _metadata, ...read } = everyFieldRead;
    expect(undeclaredReads(read, schema, 'Application')).toEqual([]);
    // A history entry always has its id and deployedAt.
    expect(
      schema.properties?.status?.properties?.history?.items?.required,
    ).toEqual(expect.arrayContaining(['id', 'deployedAt']));
  });

  it('accepts the corpus reference Application, which has no status', () => {
    const application = readCorpusYaml<ArgoApplication>(
      referenceApplicationFile,
    );
    expect(application.status).toBeUndefined();
    for (const check of [validate, validateDeclared]) {
      const errors = check(application)
        ? []
        : describeErrors('application.yaml', check.errors);
      expect(errors).toEqual([]);
    }
  });

  it('names file, item and path for an Application the CRD rejects', () => {
    const item = structuredClone(readList(fixtureFiles[0]).items[0]) as any;
    item.status.sync.status = 3;
    item.status.history[0].deployedAt = 'yesterday';
    item.status.history[0].id = '11';
    delete item.spec.destination;
    item.status.health.stauts = 'Healthy';

    expect(validate(item)).toBe(false);
    const errors = describeErrors(
      `${fixtureFiles[0]} items[0] (${item.metadata.name})`,
      validate.errors,
    );
    const where =
      'applications-ap-southeast-1.json items[0] (api-gateway-ap-southeast-1)';
    expect(errors).toEqual(
      expect.arrayContaining([
        `${where}: /spec: must have required property 'destination'`,
        `${where}: /status/sync/status: must be string`,
        `${where}: /status/history/0/id: must be integer`,
        `${where}: /status/history/0/deployedAt: must match format "date-time"`,
      ]),
    );
    expect(errors.join('\n')).not.toContain('stauts');

    expect(validateDeclared(item)).toBe(false);
    expect(describeErrors(`${where}`, validateDeclared.errors)).toContain(
      `${where}: /status/health: must NOT have additional properties (stauts)`,
    );
  });
});
