import { randomBytes } from 'node:crypto';
import knexFactory, { Knex } from 'knex';
import { Profile } from './portalBackend';

/*
 * The production profile of the portal backend on the local PostgreSQL
 * server, and the clean-up of the databases it creates.
 */

export const POSTGRES_URL =
  process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING;

/**
 * Production: app-config.production.yaml on the local PostgreSQL server, its
 * settings from the environment as in a pod.
 */
export function productionProfile(
  // A prefix of its own per run, so that runs never share databases.
  prefix = `tms_it_${randomBytes(4).toString('hex')}_`,
): Profile {
  const url = new URL(POSTGRES_URL ?? 'postgresql://unset');
  return {
    configFiles: ['app-config.yaml', 'app-config.production.yaml'],
    env: {
      PORTAL_BASE_URL: 'http://127.0.0.1',
      POSTGRES_HOST: url.hostname,
      POSTGRES_PORT: url.port || '5432',
      POSTGRES_USER: decodeURIComponent(url.username),
      POSTGRES_PASSWORD: decodeURIComponent(url.password),
      AUTH_GITHUB_CLIENT_ID: 'tms-portal-tests',
      AUTH_GITHUB_CLIENT_SECRET: 'tms-portal-tests',
    },
    database: { prefix },
  };
}

async function withPostgres<T>(fn: (admin: Knex) => Promise<T>) {
  const admin = knexFactory({ client: 'pg', connection: POSTGRES_URL });
  try {
    return await fn(admin);
  } finally {
    await admin.destroy();
  }
}

/** The plugin names of the databases a PostgreSQL run created. */
export function listDatabases(prefix: string): Promise<string[]> {
  return withPostgres(async admin => {
    const { rows } = await admin.raw(
      'SELECT datname FROM pg_database WHERE starts_with(datname, ?)',
      [prefix],
    );
    return (rows as Array<{ datname: string }>).map(row =>
      row.datname.slice(prefix.length),
    );
  });
}

/** Removes the per-plugin databases that a PostgreSQL run created. */
export async function dropDatabases(prefix: string) {
  const plugins = await listDatabases(prefix);
  await withPostgres(async admin => {
    for (const plugin of plugins) {
      await admin.raw('DROP DATABASE IF EXISTS ?? WITH (FORCE)', [
        `${prefix}${plugin}`,
      ]);
    }
  });
}
