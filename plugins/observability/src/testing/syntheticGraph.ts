import type { Health, ServiceGraph, ServiceGraphNode } from '../api/types';

const REGIONS = ['ap-southeast-1', 'eu-west-1', 'us-east-1'];

/** Every 17th service failing, every 7th degraded, the rest healthy. */
function syntheticErrorRate(index: number) {
  if (index % 17 === 0) {
    return 0.15;
  }
  return index % 7 === 0 ? 0.02 : 0.001 * (index % 5);
}

function syntheticHealth(errorRate: number): Health {
  if (errorRate >= 0.1) {
    return 'failing';
  }
  return errorRate >= 0.01 ? 'degraded' : 'healthy';
}

/**
 * A service graph of `count` services spread over the three regions, each
 * calling two to three services of the next tier in its region, for tests
 * and the render benchmark. Numbers are derived from the index, so that the
 * graph is the same every run.
 */
export function syntheticServiceGraph(count: number): ServiceGraph {
  const nodes: ServiceGraphNode[] = [];
  for (let i = 0; i < count; i++) {
    const region = REGIONS[i % REGIONS.length];
    const service = `svc-${String(i).padStart(3, '0')}`;
    const errorRate = syntheticErrorRate(i);
    nodes.push({
      id: `${service}@${region}`,
      service,
      region,
      requestRate: 1 + (i % 13),
      errorRate,
      availability: 1 - errorRate,
      p50Ms: 20 + (i % 11),
      p95Ms: 80 + (i % 23) * 10,
      p99Ms: 200 + (i % 29) * 20,
      sla: {
        availability: errorRate <= 0.001,
        p95: true,
        errorRate: errorRate < 0.01,
      },
      health: syntheticHealth(errorRate),
    });
  }

  const edges: ServiceGraph['edges'] = [];
  const perRegion = REGIONS.map(region =>
    nodes.filter(node => node.region === region),
  );
  for (const members of perRegion) {
    members.forEach((node, index) => {
      // Tiers of ten: each service calls into the next tier.
      const tierStart = (Math.floor(index / 10) + 1) * 10;
      for (let k = 0; k < 2 + (index % 2); k++) {
        const target = members[tierStart + ((index + k * 3) % 10)];
        if (target) {
          edges.push({
            source: node.id,
            target: target.id,
            requestRate: 0.5 + ((index + k) % 7),
            errorRate: target.errorRate,
            p95Ms: target.p95Ms,
            mtls: (index + k) % 4 !== 0,
          });
        }
      }
    });
  }

  const to = new Date('2026-01-01T12:00:00Z');
  return {
    from: new Date(to.getTime() - 15 * 60_000).toISOString(),
    to: to.toISOString(),
    nodes,
    edges,
  };
}
