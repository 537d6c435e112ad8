import { Entity } from '@backstage/catalog-model';
import { AlphaEntity } from '@backstage/catalog-model/alpha';
import {
  describeFinding,
  validateManifests,
} from '@internal/plugin-scaffolder-backend-module-tms';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, posix, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import ts from 'typescript';
import { parse, parseAllDocuments } from 'yaml';
import { BackendProcess } from '@internal/backend-test-process';
import {
  localProfile,
  signInAsGuest,
  startPortalBackend,
  TEMPLATES,
  waitForEntities,
} from './__testUtils__/portalBackend';

/*
 * Runs each software template through the real scaffolder backend, in dry
 * run and for real, and checks every file it produces: manifests with the
 * scaffolder module's validator, the catalog entry with the catalog's own
 * validation, and the service skeleton with the TypeScript parser.
 */

jest.setTimeout(180_000);

type Template = { metadata: { name: string }; spec: any };
type ProducedFile = { path: string; content: string };

function readTemplate(file: string): Template {
  return parse(readFileSync(file, 'utf8'));
}

/** The template folder's files but template.yaml, as the editor sends them. */
function directoryContents(file: string) {
  const root = dirname(file);
  const walk = (dir: string): string[] =>
    readdirSync(dir).flatMap(name =>
      statSync(join(dir, name)).isDirectory()
        ? walk(join(dir, name))
        : [join(dir, name)],
    );

  return walk(root)
    .filter(path => path !== file)
    .map(path => ({
      path: relative(root, path),
      base64Content: readFileSync(path).toString('base64'),
    }));
}

/** What the form submits: each parameter's default unless given. */
function formValues(template: Template, given: Record<string, unknown>) {
  const defaults = Object.fromEntries(
    (template.spec.parameters as Array<{ properties: object }>).flatMap(step =>
      Object.entries(step.properties)
        .filter(([, property]) => property.default !== undefined)
        .map(([key, property]) => [key, property.default]),
    ),
  );
  return { ...defaults, ...given };
}

const VALUES: Record<string, Record<string, unknown>> = {
  'tms-microservice': {
    name: 'payment-service',
    description: 'Takes payments for quizzes and invoices',
    owner: 'group:default/billing-team',
  },
  'tms-traffic-policy': { service: 'component:default/quiz-service' },
  'tms-region-rollout': { service: 'component:default/invoice-service' },
};

const MANIFEST = /^deploy\/(k8s|istio|argocd)\/.*\.yaml$/;

/** Checks every produced file and returns one line per problem. */
async function problemsIn(
  files: ProducedFile[],
  validateEntity: (entity: Entity) => Promise<string[]>,
): Promise<string[]> {
  const problems: string[] = [];
  const paths = new Set(files.map(file => file.path));

  const manifests = files.filter(file => MANIFEST.test(file.path));
  const { findings } = await validateManifests(manifests, {
    knownGateways: ['istio-system/tms-gateway'],
  });
  problems.push(...findings.map(describeFinding));

  for (const file of files) {
    if (file.content.includes('${{')) {
      problems.push(`${file.path}: a placeholder was left unrendered`);
    }
    if (/\.ya?ml$/.test(file.path) && !file.content.includes('${{')) {
      // A value such as "1.10", "NO" or "-1" must stay a string for every
      // reader: YAML 1.1 parsers (Go's yaml.v2 among them) would turn an
      // unquoted NO into false where YAML 1.2 keeps it a string.
      const asRead = (version: '1.1' | '1.2') =>
        parseAllDocuments(file.content, { version }).map(d => d.toJSON());
      if (!isDeepStrictEqual(asRead('1.1'), asRead('1.2'))) {
        problems.push(
          `${file.path}: a value changes type between YAML 1.1 and 1.2`,
        );
      }
    }
    if (file.path.endsWith('kustomization.yaml')) {
      const { resources } = parse(file.content);
      for (const resource of resources) {
        const target = posix.join(posix.dirname(file.path), resource);
        if (!paths.has(target)) {
          problems.push(`${file.path}: resource ${resource} does not exist`);
        }
      }
    }
    if (file.path === 'catalog-info.yaml') {
      problems.push(...(await validateEntity(parse(file.content))));
    }
    if (file.path.endsWith('.json')) {
      JSON.parse(file.content);
    }
    if (file.path.endsWith('.ts')) {
      const { diagnostics = [] } = ts.transpileModule(file.content, {
        reportDiagnostics: true,
        fileName: file.path,
      });
      problems.push(
        ...diagnostics.map(
          d =>
            `${file.path}: ${ts.flattenDiagnosticMessageText(
              d.messageText,
              ' ',
            )}`,
        ),
      );
    }
  }
  return problems;
}

describe('the software templates', () => {
  let backend: BackendProcess;
  let token: string;

  const request = async (path: string, body?: unknown) => {
    const response = await fetch(`${backend.baseUrl}${path}`, {
      method: body ? 'POST' : 'GET',
      headers: {
        'Content-Type': 'application/json',
        Authorization: `Bearer ${token}`,
      },
      body: body ? JSON.stringify(body) : undefined,
    });
    // validate-entity answers 200 with no body when the entity is valid.
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : {} };
  };

  const validateEntity = async (entity: Entity) => {
    const { status, body } = await request('/api/catalog/validate-entity', {
      entity,
      location: 'url:https://github.com/tms-platform/new/catalog-info.yaml',
    });
    return status === 200
      ? []
      : [`catalog-info.yaml: ${JSON.stringify(body.errors ?? body)}`];
  };

  beforeAll(async () => {
    backend = startPortalBackend(localProfile());
    await backend.waitUntilReady();
    token = await signInAsGuest(backend);
  });

  afterAll(async () => {
    await backend?.stop();
  });

  it('are in the catalog with no processing error', async () => {
    const refs = TEMPLATES.map(
      file => `template:default/${readTemplate(file).metadata.name}`,
    );

    const entities = await waitForEntities(backend, token, refs);

    const errors = entities.flatMap(entity =>
      ((entity as AlphaEntity).status?.items ?? []).map(
        item => `${entity.metadata.name}: ${item.error?.message}`,
      ),
    );
    expect(errors).toEqual([]);
    expect(refs.sort()).toEqual([
      'template:default/tms-microservice',
      'template:default/tms-region-rollout',
      'template:default/tms-traffic-policy',
    ]);
  });

  it('has a catalog validation that rejects a broken entry', async () => {
    const problems = await validateEntity({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name: 'Not a name' },
      spec: { type: 'service', owner: 'x', lifecycle: 'experimental' },
    });

    expect(problems).toEqual([expect.stringContaining('Not a name')]);
  });

  it.each(TEMPLATES.map(file => [readTemplate(file).metadata.name, file]))(
    '%s runs in dry run and produces only valid files',
    async (name, file) => {
      const template = readTemplate(file);
      // The services the templates read must be in the catalog first.
      await waitForEntities(backend, token, [
        'component:default/quiz-service',
        'component:default/invoice-service',
      ]);

      const { status, body } = await request('/api/scaffolder/v2/dry-run', {
        template,
        values: formValues(template, VALUES[name]),
        secrets: {},
        directoryContents: directoryContents(file),
      });

      expect(status).toBe(200);
      const files: ProducedFile[] = body.directoryContents.map(
        (f: { path: string; base64Content: string }) => ({
          path: f.path,
          content: Buffer.from(f.base64Content, 'base64').toString('utf8'),
        }),
      );
      expect(files.filter(f => MANIFEST.test(f.path)).length).toBeGreaterThan(
        1,
      );
      expect(await problemsIn(files, validateEntity)).toEqual([]);
      // A dry run must not publish anything.
      expect(
        body.log.map(
          (line: { body: { message: string } }) => line.body.message,
        ),
      ).toContainEqual(expect.stringContaining('Would publish locally'));
    },
  );

  it.each(TEMPLATES.map(file => [readTemplate(file).metadata.name, file]))(
    '%s refuses a task started through the API without publishTarget',
    async (name, file) => {
      const values = formValues(readTemplate(file), VALUES[name]);
      delete values.publishTarget;

      const created = await request('/api/scaffolder/v2/tasks', {
        templateRef: `template:default/${name}`,
        values,
      });

      // Without it every publish and register step would be skipped and
      // the task would still complete.
      expect(created.status).toBe(400);
      expect(JSON.stringify(created.body)).toContain('publishTarget');
    },
  );

  it('creates a service from tms-microservice as a local Git repository and registers it', async () => {
    const values = formValues(
      readTemplate(TEMPLATES.find(f => f.includes('tms-microservice'))!),
      { ...VALUES['tms-microservice'], name: 'ledger-service' },
    );

    const created = await request('/api/scaffolder/v2/tasks', {
      templateRef: 'template:default/tms-microservice',
      values,
    });
    expect(created.status).toBe(201);
    let task = await request(`/api/scaffolder/v2/tasks/${created.body.id}`);
    while (['open', 'processing'].includes(task.body.status)) {
      await new Promise(r => setTimeout(r, 500));
      task = await request(`/api/scaffolder/v2/tasks/${created.body.id}`);
    }

    expect(task.body.status).toBe('completed');
    const root = join(backend.workDir, 'published', 'ledger-service');
    const git = (...args: string[]) =>
      execFileSync('git', ['-C', root, ...args], { encoding: 'utf8' }).trim();
    const tracked = git('ls-files').split('\n');
    const files = tracked.map(path => ({
      path,
      content: readFileSync(join(root, path), 'utf8'),
    }));
    // Every generated file is committed; nothing is left outside the commit.
    expect(tracked).toEqual(
      expect.arrayContaining([
        'catalog-info.yaml',
        'deploy/istio/virtual-service.yaml',
        'deploy/argocd/application-set.yaml',
      ]),
    );
    expect(git('status', '--porcelain')).toBe('');
    expect(git('log', '--format=%s')).toBe('Initial commit');
    expect(await problemsIn(files, validateEntity)).toEqual([]);
    const entity = parse(
      files.find(f => f.path === 'catalog-info.yaml')!.content,
    );
    // 8000-8010 belong to the eleven TMS services.
    expect(entity.metadata.annotations['tms.example.com/port']).toBe('8011');

    // catalog:register added the repository's catalog-info.yaml; the
    // catalog read it from the file: URL and processed it without errors.
    const [registered] = await waitForEntities(backend, token, [
      'component:default/ledger-service',
    ]);
    const location = pathToFileURL(join(root, 'catalog-info.yaml')).toString();
    expect(
      registered.metadata.annotations?.['backstage.io/managed-by-location'],
    ).toBe(`url:${location}`);
    expect(registered.metadata.annotations?.['tms.example.com/port']).toBe(
      '8011',
    );
    expect((registered as AlphaEntity).status?.items ?? []).toEqual([]);
  });

  it('gives two tms-microservice tasks started together different ports', async () => {
    const template = readTemplate(
      TEMPLATES.find(f => f.includes('tms-microservice'))!,
    );
    const start = (name: string) =>
      request('/api/scaffolder/v2/tasks', {
        templateRef: 'template:default/tms-microservice',
        values: formValues(template, { ...VALUES['tms-microservice'], name }),
      });
    const finish = async (id: string) => {
      let task = await request(`/api/scaffolder/v2/tasks/${id}`);
      while (['open', 'processing'].includes(task.body.status)) {
        await new Promise(r => setTimeout(r, 500));
        task = await request(`/api/scaffolder/v2/tasks/${id}`);
      }
      return task.body.status;
    };

    const created = await Promise.all([
      start('billing-service'),
      start('refund-service'),
    ]);
    const statuses = await Promise.all(created.map(c => finish(c.body.id)));

    expect(statuses).toEqual(['completed', 'completed']);
    const ports = ['billing-service', 'refund-service'].map(
      name =>
        parse(
          readFileSync(
            join(backend.workDir, 'published', name, 'catalog-info.yaml'),
            'utf8',
          ),
        ).metadata.annotations['tms.example.com/port'],
    );
    expect(new Set(ports).size).toBe(2);
  });
});
