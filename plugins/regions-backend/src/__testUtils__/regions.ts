import { RegionDefinition } from '../config';

/** A region definition for tests: only id and failover matter to most. */
export function testRegion(
  id: string,
  failover: string[] = [],
  overrides: Partial<RegionDefinition> = {},
): RegionDefinition {
  return {
    id,
    title: id,
    latitude: 0,
    longitude: 0,
    role: 'secondary',
    healthEndpoints: [],
    kubernetesCluster: `tms-${id}`,
    capacityRps: 1,
    failover,
    entityRef: `resource:default/region-${id}`,
    ...overrides,
  };
}
