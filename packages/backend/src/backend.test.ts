import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { AlphaEntity } from '@backstage/catalog-model/alpha';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { BackendProcess } from '@internal/backend-test-process';
import {
  AUTOMATION_TOKEN,
  CATALOG_ROOT,
  localProfile,
  signInAsGuest,
  startPortalBackend,
  TEMPLATES,
  waitForEntities,
} from './__testUtils__/portalBackend';
import {
  dropDatabases,
  listDatabases,
  POSTGRES_URL,
  productionProfile,
} from './__testUtils__/production';

/*
 * These tests start the portal backend as a process of its own (see
 * startPortalBackend) and talk to it over HTTP with a token from the guest
 * sign-in.
 */

// Starting the backend and waiting for the catalog to settle takes a while
// on a 2-core machine.
jest.setTimeout(180_000);

/**
 * Every entity the catalog files and the software templates declare, read
 * straight from the YAML.
 */
function declaredEntityRefs(): string[] {
  const location = parseAllDocuments(
    readFileSync(CATALOG_ROOT, 'utf8'),
  )[0].toJSON() as Entity;
  const targets = (location.spec?.targets ?? []) as string[];

  const refs = [stringifyEntityRef(location)];
  for (const target of targets) {
    const file = resolve(dirname(CATALOG_ROOT), target);
    for (const document of parseAllDocuments(readFileSync(file, 'utf8'))) {
      refs.push(stringifyEntityRef(document.toJSON() as Entity));
    }
  }
  for (const template of TEMPLATES) {
    const document = parseAllDocuments(readFileSync(template, 'utf8'))[0];
    refs.push(stringifyEntityRef(document.toJSON() as Entity));
  }
  return refs;
}

async function getJson(backend: BackendProcess, token: string, path: string) {
  const response = await fetch(`${backend.baseUrl}${path}`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  if (!response.ok) {
    throw new Error(`GET ${path} answered ${response.status}`);
  }
  return response.json();
}

describe('the TMS Portal backend', () => {
  it('has a PostgreSQL server to run its integration tests on', () => {
    // ./portal test names the local server; without it the PostgreSQL
    // cases below fail for want of a connection, and this says why.
    expect(POSTGRES_URL).toMatch(/^postgres(ql)?:\/\//);
  });

  describe.each([
    ['local config on SQLite', localProfile],
    ['production config on PostgreSQL', productionProfile],
  ])('with the %s', (name, createProfile) => {
    const profile = createProfile();
    const production = name.startsWith('production');
    let backend: BackendProcess;
    let token: string;
    let entities: Entity[];
    const refs = declaredEntityRefs();

    beforeAll(async () => {
      backend = startPortalBackend(profile);
      await backend.waitUntilReady();
      token = production ? AUTOMATION_TOKEN : await signInAsGuest(backend);
      entities = await waitForEntities(backend, token, refs);
    });

    afterAll(async () => {
      await backend?.stop();
      if (production) {
        await dropDatabases(String(profile.database.prefix));
      }
    });

    it(`offers ${production ? 'no' : 'the'} guest sign-in`, async () => {
      const response = await fetch(
        `${backend.baseUrl}/api/auth/guest/refresh`,
        {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
        },
      );

      expect(response.ok).toBe(!production);
    });

    it('loads every catalog entity with no processing error', () => {
      expect(entities.map(stringifyEntityRef)).toEqual(refs);
      expect(refs.filter(ref => ref.startsWith('component:'))).toHaveLength(11);

      const errors = entities.flatMap(entity =>
        ((entity as AlphaEntity).status?.items ?? [])
          .filter(item => item.level === 'error')
          .map(item => `${stringifyEntityRef(entity)}: ${item.error?.message}`),
      );
      expect(errors).toEqual([]);
    });

    if (production) {
      it('keeps one PostgreSQL database per plugin', async () => {
        const names = await listDatabases(String(profile.database.prefix));

        expect(names).toEqual(
          expect.arrayContaining(['catalog', 'auth', 'scaffolder']),
        );
      });
    }

    if (production) {
      it('leaves the traffic generator off', async () => {
        const overview = await getJson(
          backend,
          token,
          '/api/observability/performance/overview',
        );

        expect(overview.services).toEqual([]);
      });
    } else {
      it('shows telemetry from the traffic generator', async () => {
        // The generator exports through the engine's own OTLP route; its
        // first batches land a second or two after start.
        const deadline = Date.now() + 30_000;
        let services: string[] = [];
        while (services.length < 5 && Date.now() < deadline) {
          await new Promise(r => setTimeout(r, 1000));
          const overview = await getJson(
            backend,
            token,
            '/api/observability/performance/overview',
          );
          services = [
            ...new Set<string>(
              overview.services.map((s: { service: string }) => s.service),
            ),
          ];
        }

        expect(services).toEqual(
          expect.arrayContaining([
            'api-gateway',
            'auth-service',
            'user-service',
            'quiz-service',
            'graphql-service',
          ]),
        );
      });
    }

    if (!production) {
      it('probes the simulated regions over HTTP and routes by the nginx config', async () => {
        // The probe task runs every second once the backend is up.
        const deadline = Date.now() + 30_000;
        let states: string[] = [];
        while (Date.now() < deadline) {
          const { regions } = await getJson(
            backend,
            token,
            '/api/regions/regions',
          );
          states = regions.map(
            (r: { health: { state: string } }) => r.health.state,
          );
          if (!states.includes('unknown')) break;
          await new Promise(r => setTimeout(r, 500));
        }
        const route = await getJson(
          backend,
          token,
          '/api/regions/route?ip=2.16.0.1',
        );

        expect(states).toHaveLength(3);
        expect(states).not.toContain('unknown');
        expect(route).toMatchObject({
          nginxRegion: 'eu-west-1',
          network: '2.0.0.0/8',
        });
      });
    }

    it('resolves every relation to an entity in the catalog', () => {
      const known = new Set(refs);

      const relations = entities.flatMap(entity =>
        (entity.relations ?? []).map(relation => ({
          source: stringifyEntityRef(entity),
          type: relation.type,
          target: relation.targetRef,
        })),
      );
      const dangling = relations.filter(
        relation => !known.has(relation.target),
      );

      expect(relations.length).toBeGreaterThan(100);
      expect(dangling).toEqual([]);
    });

    it('shows api-gateway with its API and its three regions', () => {
      const gateway = entities.find(
        entity =>
          stringifyEntityRef(entity) === 'component:default/api-gateway',
      )!;

      const targets = (type: string) =>
        (gateway.relations ?? [])
          .filter(relation => relation.type === type)
          .map(relation => relation.targetRef)
          .sort();

      expect(targets('providesApi')).toEqual(['api:default/tms-public-api']);
      expect(
        targets('dependsOn').filter(ref => ref.includes('region-')),
      ).toEqual([
        'resource:default/region-ap-southeast-1',
        'resource:default/region-eu-west-1',
        'resource:default/region-us-east-1',
      ]);
      expect(targets('ownedBy')).toEqual(['group:default/platform-team']);
    });

    it('refuses catalog requests without a token', async () => {
      const response = await fetch(`${backend.baseUrl}/api/catalog/entities`);

      expect(response.status).toBe(401);
    });

    it('serves Kubernetes requests while every cluster is unreachable', async () => {
      const response = await fetch(
        `${backend.baseUrl}/api/kubernetes/services/api-gateway`,
        {
          method: 'POST',
          headers: {
            'Content-Type': 'application/json',
            Authorization: `Bearer ${token}`,
          },
          body: JSON.stringify({
            entity: entities.find(
              entity => entity.metadata.name === 'api-gateway',
            ),
          }),
        },
      );

      expect(response.status).toBe(200);
      const body = await response.json();
      const clusters = body.items.map(
        (item: { cluster: { name: string }; errors: unknown[] }) => ({
          cluster: item.cluster.name,
          failed: item.errors.length > 0,
        }),
      );
      expect(clusters).toEqual([
        { cluster: 'tms-eu-west-1', failed: true },
        { cluster: 'tms-us-east-1', failed: true },
      ]);
    });
  });
});
