import { GRAPH } from '../../testing/fixtures';
import { syntheticServiceGraph } from '../../testing/syntheticGraph';
import { filterGraph, layoutMesh, NODE_WIDTH } from './meshLayout';

describe('layoutMesh', () => {
  it('puts each region in its own box and callers left of callees', () => {
    const layout = layoutMesh(GRAPH);

    expect(layout.regions.map(r => r.region)).toEqual([
      'eu-west-1',
      'us-east-1',
    ]);
    const [eu, us] = layout.regions;
    const apart = us.x >= eu.x + eu.width || us.y >= eu.y + eu.height;
    expect(apart).toBe(true);
    expect(layout.positions.get('quiz-service@eu-west-1')!.x).toBeGreaterThan(
      layout.positions.get('api-gateway@eu-west-1')!.x + NODE_WIDTH,
    );
  });

  it('places 300 services without two on one spot', () => {
    const graph = syntheticServiceGraph(300);

    const layout = layoutMesh(graph);

    const spots = new Set(
      graph.nodes.map(node => {
        const position = layout.positions.get(node.id)!;
        return `${node.region}:${position.x}:${position.y}`;
      }),
    );
    expect(spots.size).toBe(300);
    // Tall tiers are wrapped: no region box is more than three times as high as wide.
    for (const box of layout.regions) {
      expect(box.height).toBeLessThan(box.width * 3);
    }
    // Region boxes never overlap.
    const [a, b, c] = layout.regions;
    for (const [p, q] of [
      [a, b],
      [a, c],
      [b, c],
    ]) {
      const apart =
        p.x + p.width <= q.x ||
        q.x + q.width <= p.x ||
        p.y + p.height <= q.y ||
        q.y + q.height <= p.y;
      expect(apart).toBe(true);
    }
  });
});

describe('filterGraph', () => {
  it('keeps a service with its direct callers and callees', () => {
    const filtered = filterGraph(GRAPH, { service: 'api-gateway' });

    expect(filtered.nodes.map(n => n.id).sort()).toEqual([
      'api-gateway@eu-west-1',
      'api-gateway@us-east-1',
      'quiz-service@eu-west-1',
    ]);
    expect(filterGraph(GRAPH, { region: 'us-east-1' }).edges).toEqual([]);
  });
});
