/*
 * Issue point 7: with one cluster per region in the kubernetes config, a
 * region whose cluster cannot be reached shows as an error on that region
 * and never blanks the others. Two fake clusters through the real
 * kubernetes backend: one a small HTTP server answering with recorded
 * Kubernetes objects from the corpus, one that does not answer.
 */
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import kubernetesPlugin from '@backstage/plugin-kubernetes-backend';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { corpusDir } from './__testUtils__/corpus';
import { startServer } from './__testUtils__/httpServer';

jest.setTimeout(60_000);

const objects = path.join(corpusDir, 'kubernetes-objects');

function list(kind: string, apiVersion: string, items: unknown[]) {
  return {
    kind: `${kind}List`,
    apiVersion,
    metadata: { resourceVersion: '1' },
    items,
  };
}

describe('kubernetes plugin with one cluster per region', () => {
  it('reports the unreachable region as an error and still shows the other', async () => {
    const podList = JSON.parse(
      fs.readFileSync(
        path.join(objects, 'derived/podlist-from-argo-health-testdata.json'),
        'utf8',
      ),
    );
    const deployment = JSON.parse(
      fs.readFileSync(
        path.join(
          objects,
          'live-objects/ssd-deploy-with-manual-apply-predicted-live.json',
        ),
        'utf8',
      ),
    );
    const entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name: 'api-gateway',
        namespace: 'default',
        annotations: { 'backstage.io/kubernetes-id': 'api-gateway' },
      },
      spec: {
        type: 'service',
        owner: 'platform-team',
        lifecycle: 'production',
      },
    };
    const paths: string[] = [];
    const cluster = await startServer((req, res) => {
      const url = new URL(req.url!, 'http://x');
      paths.push(url.pathname);
      res.setHeader('content-type', 'application/json');
      if (url.pathname === '/api/v1/pods') {
        res.end(JSON.stringify(podList));
      } else if (url.pathname === '/apis/apps/v1/deployments') {
        res.end(JSON.stringify(list('Deployment', 'apps/v1', [deployment])));
      } else {
        const [, , group, version] = url.pathname.split('/');
        res.end(
          JSON.stringify(
            list('', group === 'v1' ? 'v1' : `${group}/${version}`, []),
          ),
        );
      }
    });

    const backend = await startTestBackend({
      features: [
        kubernetesPlugin,
        catalogServiceMock.factory({ entities: [entity] }),
        mockServices.rootConfig.factory({
          data: {
            kubernetes: {
              serviceLocatorMethod: { type: 'multiTenant' },
              clusterLocatorMethods: [
                {
                  type: 'config',
                  clusters: [
                    {
                      name: 'tms-eu-west-1',
                      url: cluster.url,
                      authProvider: 'serviceAccount',
                      serviceAccountToken: 'recorded',
                      skipMetricsLookup: true,
                    },
                    {
                      // Nothing listens on the discard port.
                      name: 'tms-us-east-1',
                      url: 'http://127.0.0.1:9',
                      authProvider: 'serviceAccount',
                      serviceAccountToken: 'recorded',
                      skipMetricsLookup: true,
                    },
                  ],
                },
              ],
            },
          },
        }),
      ],
    });

    try {
      const response = await request(backend.server)
        .post('/api/kubernetes/services/api-gateway')
        .set('authorization', mockCredentials.user.header())
        .send({ entity });

      expect(response.body.error).toBeUndefined();
      expect(response.status).toBe(200);
      const byCluster = Object.fromEntries(
        response.body.items.map((item: any) => [item.cluster.name, item]),
      );

      const eu = byCluster['tms-eu-west-1'];
      expect(eu.errors).toEqual([]);
      const pods = eu.resources.find((r: any) => r.type === 'pods').resources;
      expect(pods.map((p: any) => p.metadata.name)).toEqual(
        podList.items.map((p: any) => p.metadata.name),
      );
      const deployments = eu.resources.find(
        (r: any) => r.type === 'deployments',
      ).resources;
      expect(deployments[0].metadata.name).toBe(deployment.metadata.name);
      expect(paths).toContain('/api/v1/pods');

      const us = byCluster['tms-us-east-1'];
      expect(us.resources.every((r: any) => r.resources.length === 0)).toBe(
        true,
      );
      expect(us.errors.length).toBeGreaterThan(0);
      expect(us.errors[0].errorType).toBe('FETCH_ERROR');
    } finally {
      await backend.stop();
      await cluster.close();
    }
  });
});
