import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/*
 * The portal backend as a process of its own, started exactly as `yarn
 * start` does, with the repository's config files and a small override.
 */

export const BACKEND_ROOT = resolvePackagePath('backend');
export const REPO_ROOT = resolve(BACKEND_ROOT, '../..');
export const CATALOG_ROOT = resolve(REPO_ROOT, 'catalog/all.yaml');
export const TEMPLATES_ROOT = resolve(REPO_ROOT, 'templates');
const BACKSTAGE_CLI = require.resolve('@backstage/cli/bin/backstage-cli');

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

export class BackendProcess {
  private readonly child: ChildProcess;
  /** A folder of this backend's own, removed when it stops. */
  readonly workDir: string;
  private output = '';
  readonly baseUrl: string;

  /**
   * Starts the backend with the repository's config files for the given
   * profile, on the given database, and with Kubernetes clusters that cannot
   * be reached: one refuses connections, one has a name that does not
   * resolve.
   */
  static start(profile: Profile) {
    const port = 20000 + Math.floor(Math.random() * 20000);
    const workDir = mkdtempSync(join(tmpdir(), 'tms-backend-test-'));
    const configFile = join(workDir, 'app-config.test.yaml');

    writeFileSync(
      configFile,
      JSON.stringify({
        app: { baseUrl: `http://127.0.0.1:${port}` },
        backend: {
          baseUrl: `http://127.0.0.1:${port}`,
          listen: { port, host: '127.0.0.1' },
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
    );

    const child = spawn(
      process.execPath,
      [
        BACKSTAGE_CLI,
        'package',
        'start',
        ...profile.configFiles.flatMap(file => [
          '--config',
          resolve(REPO_ROOT, file),
        ]),
        '--config',
        configFile,
      ],
      {
        cwd: BACKEND_ROOT,
        env: { ...process.env, ...profile.env },
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    return new BackendProcess(child, workDir, `http://127.0.0.1:${port}`);
  }

  private constructor(child: ChildProcess, workDir: string, baseUrl: string) {
    this.child = child;
    this.workDir = workDir;
    this.baseUrl = baseUrl;
    child.stdout?.on('data', chunk => this.record(chunk));
    child.stderr?.on('data', chunk => this.record(chunk));
  }

  private record(chunk: Buffer) {
    // Keep the tail only: enough to explain a failed start.
    this.output = (this.output + chunk.toString()).slice(-20_000);
  }

  async waitUntilReady() {
    const deadline = Date.now() + 150_000;
    while (Date.now() < deadline) {
      if (this.child.exitCode !== null) {
        break;
      }
      try {
        const response = await fetch(
          `${this.baseUrl}/.backstage/health/v1/readiness`,
        );
        if (response.ok) {
          return;
        }
      } catch {
        // Not listening yet.
      }
      await new Promise(r => setTimeout(r, 500));
    }
    throw new Error(`The backend did not become ready:\n${this.output}`);
  }

  async signInAsGuest(): Promise<string> {
    const response = await fetch(`${this.baseUrl}/api/auth/guest/refresh`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
    });
    if (!response.ok) {
      throw new Error(`Guest sign-in failed with status ${response.status}`);
    }
    const body = await response.json();
    return body.backstageIdentity.token;
  }

  async stop() {
    if (this.child.exitCode === null && this.child.pid) {
      const exited = new Promise(r => this.child.once('exit', r));
      // The CLI starts the backend as a child of its own: stop them both.
      process.kill(-this.child.pid, 'SIGTERM');
      await Promise.race([exited, new Promise(r => setTimeout(r, 10_000))]);
      if (this.child.exitCode === null) {
        process.kill(-this.child.pid, 'SIGKILL');
      }
    }
    rmSync(this.workDir, { recursive: true, force: true });
  }
}

/** Waits until the catalog serves every one of the given entities. */
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
