import { ConfigReader } from '@backstage/config';
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { readRegionsConfig } from './config';
import { NginxRouting } from './nginx/NginxRouting';
import { repoRoot } from './__testUtils__/corpus';

function appConfig(file: string) {
  return YAML.parse(fs.readFileSync(path.join(repoRoot, file), 'utf8'));
}

describe('readRegionsConfig', () => {
  const base = appConfig('app-config.yaml');

  it('reads the local config: three regions, rollout order, failover lists', () => {
    const config = readRegionsConfig(new ConfigReader(base));

    expect(config.regions.map(r => [r.id, r.role, r.failover])).toEqual([
      ['eu-west-1', 'primary', ['us-east-1']],
      ['us-east-1', 'secondary', ['eu-west-1']],
      ['ap-southeast-1', 'secondary', ['eu-west-1']],
    ]);
    expect(config.rolloutOrder).toEqual([
      'ap-southeast-1',
      'us-east-1',
      'eu-west-1',
    ]);
    expect(config.probes).toMatchObject({ intervalMs: 1000, timeoutMs: 750 });
    expect(config.simulation.enabled).toBe(true);
  });

  it('links each region to its catalog Resource, with the same cluster, role and location', () => {
    const config = readRegionsConfig(new ConfigReader(base));
    const resources = YAML.parseAllDocuments(
      fs.readFileSync(
        path.join(repoRoot, 'catalog/resources/regions.yaml'),
        'utf8',
      ),
    )
      .map(d => d.toJSON())
      .filter(Boolean);

    for (const region of config.regions) {
      const name = region.entityRef.replace('resource:default/', '');
      const entity = resources.find(
        (r: any) => r.kind === 'Resource' && r.metadata.name === name,
      );
      expect(entity).toBeDefined();
      const annotations = entity.metadata.annotations;
      expect(annotations['tms.example.com/region']).toBe(region.id);
      expect(annotations['tms.example.com/kubernetes-cluster']).toBe(
        region.kubernetesCluster,
      );
      expect(entity.metadata.labels['tms.example.com/region-role']).toBe(
        region.role,
      );
      expect(annotations['tms.example.com/location']).toBe(
        `${region.latitude},${region.longitude.toFixed(4)}`,
      );
    }
  });

  it('gives every region a kubernetes cluster of the kubernetes config', () => {
    const config = readRegionsConfig(new ConfigReader(base));
    const clusters = base.kubernetes.clusterLocatorMethods[0].clusters.map(
      (c: any) => c.name,
    );

    expect(config.regions.map(r => r.kubernetesCluster).sort()).toEqual(
      [...clusters].sort(),
    );
  });

  it("fails over where the nginx upstreams' backup servers send traffic", () => {
    const local = readRegionsConfig(new ConfigReader(base));
    const nginx = NginxRouting.fromFile(
      path.join(repoRoot, 'deploy/platform/nginx/nginx.conf'),
    );
    const primaries = (id: string) =>
      nginx.upstreams
        .get(id)!
        .servers.filter(s => !s.backup)
        .map(s => s.address);

    for (const region of local.regions) {
      const backups = nginx.upstreams
        .get(region.id)!
        .servers.filter(s => s.backup)
        .map(s => s.address);
      expect(backups).toEqual(primaries(region.failover[0]));
    }
  });

  it('keeps the same failover in production, with the simulation off', () => {
    const production = readRegionsConfig(
      new ConfigReader(appConfig('app-config.production.yaml')),
    );
    const local = readRegionsConfig(new ConfigReader(base));

    expect(production.regions.map(r => r.failover)).toEqual(
      local.regions.map(r => r.failover),
    );
    expect(production.simulation.enabled).toBe(false);
  });

  it.each([
    [{ id: 'EU WEST' }, "regions.list: invalid region id 'EU WEST'"],
    [
      { role: 'tertiary' },
      "regions.list[eu-west-1].role must be primary or secondary, not 'tertiary'",
    ],
    [
      { healthEndpoints: ['file:///etc/passwd'] },
      "regions.list[eu-west-1]: health endpoint 'file:///etc/passwd' is not http(s)",
    ],
    [
      { failover: ['mars-1'] },
      "regions.list[eu-west-1].failover names 'mars-1', which is not another configured region",
    ],
    [
      { capacity: { requestsPerSecond: 0 } },
      'regions.list[eu-west-1].capacity.requestsPerSecond must be above 0, not 0',
    ],
  ])('refuses %j naming the value', (change, message) => {
    const regions = structuredClone(base.regions);
    Object.assign(regions.list[0], change);

    expect(() =>
      readRegionsConfig(new ConfigReader({ backend: base.backend, regions })),
    ).toThrow(message);
  });
});
