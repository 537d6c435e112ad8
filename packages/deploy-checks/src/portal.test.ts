import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  listFiles,
  readDocuments,
  REPO_ROOT,
} from './__testUtils__/deployFiles';

const BASE = listFiles('deploy/portal/kubernetes/base');
const OVERLAYS = ['postgres-in-cluster', 'postgres-external'].map(overlay =>
  listFiles(`deploy/portal/kubernetes/${overlay}`),
);

function objectsOf(paths: string[]) {
  return readDocuments(paths).map(({ object }) => object);
}

function find(objects: any[], kind: string, name: string) {
  const found = objects.find(o => o.kind === kind && o.metadata.name === name);
  if (!found) {
    throw new Error(`No ${kind} '${name}' in deploy/portal/kubernetes`);
  }
  return found;
}

/** The environment variables a config file reads without a default. */
function requiredVariables(configText: string): string[] {
  return [...configText.matchAll(/\$\{(\w+)\}/g)]
    .map(match => match[1])
    .filter((name, i, all) => all.indexOf(name) === i)
    .sort();
}

/** The environment variables a config file reads with a default. */
function defaultedVariables(configText: string): string[] {
  return [...configText.matchAll(/\$\{(\w+):-[^}]*\}/g)]
    .map(match => match[1])
    .filter((name, i, all) => all.indexOf(name) === i)
    .sort();
}

/**
 * Defaults that a deployment keeps: paths of what the image holds, and the
 * folder of a publish action production does not use.
 */
const IMAGE_DEFAULTS = [
  'TMS_CATALOG_PATH',
  'TMS_TEMPLATES_PATH',
  'TMS_LOCAL_PUBLISH_DIR',
];

/**
 * The variables a container gets: its own env entries and every key of the
 * ConfigMaps it takes whole, found among the given objects.
 */
function providedVariables(container: any, objects: any[]): string[] {
  const fromConfigMaps = (container.envFrom ?? []).flatMap((source: any) =>
    Object.keys(find(objects, 'ConfigMap', source.configMapRef.name).data),
  );
  const own = (container.env ?? []).map((entry: any) => entry.name);
  return [...fromConfigMaps, ...own].sort();
}

describe.each(OVERLAYS.map(overlay => [overlay[0], overlay]))(
  'the portal deployment with %s',
  (_, overlay) => {
    const objects = objectsOf([...BASE, ...overlay]);
    const portal = find(objects, 'Deployment', 'tms-portal');
    const backend = portal.spec.template.spec.containers[0];
    const service = find(objects, 'Deployment', 'observability-service-blue');
    const engine = service.spec.template.spec.containers[0];

    it('gives the backend every variable app-config.production.yaml needs', () => {
      const needed = requiredVariables(
        readFileSync(join(REPO_ROOT, 'app-config.production.yaml'), 'utf8'),
      );

      const provided = providedVariables(backend, objects);

      expect(needed.length).toBeGreaterThan(10);
      expect(needed.filter(name => !provided.includes(name))).toEqual([]);
    });

    it('sets every variable the backend reads with a default, but the image paths', () => {
      // Both files: the image runs app-config.yaml under the production one.
      const text = ['app-config.yaml', 'app-config.production.yaml']
        .map(file => readFileSync(join(REPO_ROOT, file), 'utf8'))
        .join('\n');
      const needed = [
        ...requiredVariables(text),
        ...defaultedVariables(text),
      ].filter(name => !IMAGE_DEFAULTS.includes(name));

      const provided = providedVariables(backend, objects);

      expect(needed).toEqual(
        expect.arrayContaining([
          'ARGOCD_EU_WEST_1_TOKEN',
          'TMS_ALERTMANAGER_URL',
          'TMS_ZERO_TRUST_POLICIES_FILE',
          'TMS_NGINX_CONFIG_PATH',
        ]),
      );
      expect(needed.filter(name => !provided.includes(name))).toEqual([]);
    });

    it('gives the observability service every variable its config needs', () => {
      const config = find(objects, 'ConfigMap', 'observability-service-config');
      const needed = requiredVariables(
        [
          readFileSync(
            join(REPO_ROOT, 'packages/observability-service/app-config.yaml'),
            'utf8',
          ),
          config.data['app-config.deploy.yaml'],
        ].join('\n'),
      );

      const provided = providedVariables(engine, objects);

      expect(needed.filter(name => !provided.includes(name))).toEqual([]);
    });

    it('takes every secret from a Secret, never from a ConfigMap', () => {
      const secretLike = /PASSWORD|SECRET|TOKEN/;
      for (const container of [backend, engine]) {
        const fromConfigMaps = providedVariables(
          { envFrom: container.envFrom },
          objects,
        );
        expect(fromConfigMaps.filter(name => secretLike.test(name))).toEqual(
          [],
        );
        const secretEnv = container.env.filter((e: any) =>
          secretLike.test(e.name),
        );
        expect(secretEnv.length).toBeGreaterThan(0);
        for (const entry of secretEnv) {
          expect(entry.valueFrom.secretKeyRef.key).toBe(entry.name);
        }
      }
    });
  },
);

describe('the portal deployment', () => {
  const objects = objectsOf(BASE);

  it.each([
    ['tms-portal', 'Deployment', 'tms-portal'],
    ['observability-service-blue', 'Deployment', 'observability-service'],
  ])(
    '%s runs two or more replicas that a PodDisruptionBudget and a NetworkPolicy cover',
    (name, kind, budget) => {
      const deployment = find(objects, kind, name);
      const labels = deployment.spec.template.metadata.labels;
      const selects = (selector: any) =>
        Object.entries(selector.matchLabels).every(
          ([key, value]) => labels[key] === value,
        );

      expect(deployment.spec.replicas).toBeGreaterThanOrEqual(2);
      expect(
        selects(find(objects, 'PodDisruptionBudget', budget).spec.selector),
      ).toBe(true);
      const policies = objects.filter(
        o =>
          o.kind === 'NetworkPolicy' &&
          o.metadata.namespace === deployment.metadata.namespace &&
          (Object.keys(o.spec.podSelector).length === 0 ||
            selects(o.spec.podSelector)),
      );
      expect(policies.length).toBeGreaterThanOrEqual(1);
    },
  );

  it.each(['tms-portal', 'observability-service-blue'])(
    '%s probes Backstage health endpoints and sets resources',
    name => {
      const [container] = find(objects, 'Deployment', name).spec.template.spec
        .containers;

      expect(container.readinessProbe.httpGet.path).toBe(
        '/.backstage/health/v1/readiness',
      );
      expect(container.livenessProbe.httpGet.path).toBe(
        '/.backstage/health/v1/liveness',
      );
      expect(container.resources.requests).toEqual({
        cpu: expect.any(String),
        memory: expect.any(String),
      });
      expect(container.resources.limits).toEqual({
        cpu: expect.any(String),
        memory: expect.any(String),
      });
    },
  );

  it('serves the observability service on port 8010 at the host the catalog and Istio name', () => {
    const service = find(objects, 'Service', 'observability-service');

    expect(service.metadata.namespace).toBe('tms');
    expect(service.spec.ports).toEqual([
      expect.objectContaining({ port: 8010, name: 'http' }),
    ]);
    expect(
      find(objects, 'Deployment', 'observability-service-blue').spec.template
        .metadata.labels,
    ).toEqual({ app: 'observability-service', version: 'blue' });
  });

  it('builds the images from one multi-stage Dockerfile', () => {
    const dockerfile = readFileSync(
      join(REPO_ROOT, 'deploy/portal/Dockerfile'),
      'utf8',
    );

    const stages = [...dockerfile.matchAll(/^FROM \S+ AS (\S+)$/gm)].map(
      m => m[1],
    );
    expect(stages).toEqual([
      'skeleton',
      'base',
      'build',
      'runtime',
      'portal',
      'observability-service',
    ]);
    expect(existsSync(join(REPO_ROOT, 'packages/backend/Dockerfile'))).toBe(
      false,
    );

    // What the image copies from the repository must be there.
    const copied = [
      ...dockerfile.matchAll(/^COPY (?!--from)(?:--\S+ )*(.+) \S+$/gm),
    ]
      .flatMap(m => m[1].split(' '))
      .filter(source => source !== '.');
    expect(copied.length).toBeGreaterThan(5);
    for (const source of copied) {
      expect({ source, exists: existsSync(join(REPO_ROOT, source)) }).toEqual({
        source,
        exists: true,
      });
    }
  });

  it('runs the image with the config files the image holds', () => {
    const [backend] = find(objects, 'Deployment', 'tms-portal').spec.template
      .spec.containers;

    const configs = backend.args.filter(
      (_: string, i: number) => backend.args[i - 1] === '--config',
    );
    expect(configs).toEqual([
      'app-config.yaml',
      'app-config.production.yaml',
      '/etc/tms-portal/app-config.deploy.yaml',
    ]);
    expect(backend.volumeMounts[0].mountPath).toBe('/etc/tms-portal');
  });
});
