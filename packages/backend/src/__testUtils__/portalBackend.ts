import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { BackendProcess } from '@internal/backend-test-process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { join, resolve } from 'node:path';

/*
 * The portal backend as a process of its own, started exactly as `yarn
 * start` does, with the repository's config files and a small override.
 */

export const BACKEND_ROOT = resolvePackagePath('backend');
export const REPO_ROOT = resolve(BACKEND_ROOT, '../..');
export const CATALOG_ROOT = resolve(REPO_ROOT, 'catalog/all.yaml');
export const TEMPLATES_ROOT = resolve(REPO_ROOT, 'templates');

/** Every software template of the repository, by its template.yaml. */
export const TEMPLATES = readdirSync(TEMPLATES_ROOT, { withFileTypes: true })
  .filter(entry => entry.isDirectory())
  .map(entry => join(TEMPLATES_ROOT, entry.name, 'template.yaml'));

export type Profile = {
  configFiles: string[];
  env: Record<string, string>;
  database: Record<string, unknown>;
};

export const AUTOMATION_TOKEN = randomBytes(24).toString('base64url');

/** The embedded default: app-config.yaml on SQLite, as `yarn start` runs. */
export function localProfile(): Profile {
  return {
    configFiles: ['app-config.yaml'],
    env: { NODE_ENV: 'development' },
    database: { client: 'better-sqlite3', connection: ':memory:' },
  };
}

/**
 * Starts the portal backend with the repository's config files for the
 * given profile, on the given database, with the catalog and templates read
 * from the repository, a static token for automation, and Kubernetes
 * clusters that cannot be reached: one refuses connections, one has a name
 * that does not resolve.
 */
export function startPortalBackend(profile: Profile): BackendProcess {
  return BackendProcess.start({
    packageDir: BACKEND_ROOT,
    configFiles: profile.configFiles.map(file => resolve(REPO_ROOT, file)),
    env: profile.env,
    config: workDir => ({
      backend: {
        database: profile.database,
        auth: {
          // How automation calls the portal: a static token of its own.
          externalAccess: [
            {
              type: 'static',
              options: { token: AUTOMATION_TOKEN, subject: 'tms-tests' },
            },
          ],
        },
      },
      catalog: {
        // The production image keeps catalog/ beside the backend; here it
        // is read from the repository.
        locations: [
          { type: 'file', target: CATALOG_ROOT },
          ...TEMPLATES.map(target => ({
            type: 'file',
            target,
            rules: [{ allow: ['Template'] }],
          })),
        ],
      },
      // The load balancer's nginx config, read from the repository as the
      // image reads it from beside the backend.
      regions: {
        nginx: {
          configPath: resolve(REPO_ROOT, 'deploy/platform/nginx/nginx.conf'),
        },
      },
      tms: {
        scaffolder: {
          localPublish: { directory: join(workDir, 'published') },
        },
      },
      kubernetes: {
        clusterLocatorMethods: [
          {
            type: 'config',
            clusters: [
              {
                name: 'tms-eu-west-1',
                url: 'http://127.0.0.1:1',
                authProvider: 'serviceAccount',
                serviceAccountToken: 'not-a-real-token',
                skipMetricsLookup: true,
              },
              {
                name: 'tms-us-east-1',
                url: 'https://k8s.us-east-1.tms.invalid',
                authProvider: 'serviceAccount',
                serviceAccountToken: 'not-a-real-token',
                skipMetricsLookup: true,
              },
            ],
          },
        ],
      },
    }),
  });
}

export async function signInAsGuest(backend: BackendProcess): Promise<string> {
  const response = await fetch(`${backend.baseUrl}/api/auth/guest/refresh`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
  });
  if (!response.ok) {
    throw new Error(`Guest sign-in failed with status ${response.status}`);
  }
  const body = await response.json();
  return body.backstageIdentity.token;
}

export async function waitForEntities(
  backend: BackendProcess,
  token: string,
  refs: string[],
): Promise<Entity[]> {
  const deadline = Date.now() + 90_000;

  for (;;) {
    const response = await fetch(
      `${backend.baseUrl}/api/catalog/entities/by-refs`,
      {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          Authorization: `Bearer ${token}`,
        },
        body: JSON.stringify({ entityRefs: refs }),
      },
    );
    const body = await response.json();
    const entities = (body.items ?? []) as Array<Entity | null>;
    if (entities.length === refs.length && entities.every(Boolean)) {
      return entities as Entity[];
    }

    if (Date.now() > deadline) {
      const missing = refs.filter((_, i) => !entities[i]);
      throw new Error(`Entities never appeared: ${missing.join(', ')}`);
    }
    await new Promise(r => setTimeout(r, 500));
  }
}

/**
 * The plugins' sections of app-config.yaml, with `${VAR:-default}` taken
 * at its default and paths made absolute, as the backend reads them from
 * packages/backend.
 */
export function repositoryConfig() {
  const text = readFileSync(resolve(REPO_ROOT, 'app-config.yaml'), 'utf8')
    .replace(/\$\{\w+:-([^}]*)\}/g, '$1')
    .replace(/\$\{\w+\}/g, '');
  const config = parse(text);
  const fromBackend = (path: string) =>
    resolve(REPO_ROOT, 'packages/backend', path);
  config.zeroTrust.policiesFile = fromBackend(config.zeroTrust.policiesFile);
  config.regions.nginx.configPath = fromBackend(
    config.regions.nginx.configPath,
  );
  return {
    observability: {
      ...config.observability,
      trafficGenerator: { enabled: false },
    },
    zeroTrust: config.zeroTrust,
    regions: config.regions,
  };
}
