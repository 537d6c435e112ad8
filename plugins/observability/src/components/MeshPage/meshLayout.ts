import { ServiceGraph, ServiceGraphEdge, ServiceGraphNode } from '../../api';

export interface MeshFilters {
  region?: string;
  /** A service and its direct callers and callees. */
  service?: string;
}

export const NODE_WIDTH = 190;
export const NODE_HEIGHT = 52;
const COLUMN_GAP = 90;
const ROW_GAP = 22;
const GROUP_PADDING = 24;
const GROUP_TITLE = 36;
const GROUP_GAP = 80;

export interface RegionBox {
  region: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface MeshLayout {
  nodes: ServiceGraphNode[];
  edges: ServiceGraphEdge[];
  regions: RegionBox[];
  /** Positions relative to the node's region box. */
  positions: Map<string, { x: number; y: number }>;
}

/** The part of the graph the filters ask for. */
export function filterGraph(
  graph: Pick<ServiceGraph, 'nodes' | 'edges'>,
  filters: MeshFilters,
): Pick<ServiceGraph, 'nodes' | 'edges'> {
  let nodes = graph.nodes;
  if (filters.region) {
    nodes = nodes.filter(node => node.region === filters.region);
  }

  let ids = new Set(nodes.map(node => node.id));
  let edges = graph.edges.filter(
    edge => ids.has(edge.source) && ids.has(edge.target),
  );

  if (filters.service) {
    const wanted = filters.service.toLowerCase();
    const centre = new Set(
      nodes
        .filter(node => node.service.toLowerCase() === wanted)
        .map(node => node.id),
    );
    edges = edges.filter(
      edge => centre.has(edge.source) || centre.has(edge.target),
    );
    ids = new Set([
      ...centre,
      ...edges.flatMap(edge => [edge.source, edge.target]),
    ]);
    nodes = nodes.filter(node => ids.has(node.id));
  }

  return { nodes, edges };
}

/**
 * Places each region's services in a box of its own, in columns by call
 * depth: callers on the left, the services they call to their right. The
 * depth is the longest path from a service nothing in its region calls;
 * cycles are cut by bounding the passes.
 */
export function layoutMesh(
  graph: Pick<ServiceGraph, 'nodes' | 'edges'>,
): MeshLayout {
  const byRegion = new Map<string, ServiceGraphNode[]>();
  for (const node of graph.nodes) {
    const list = byRegion.get(node.region) ?? [];
    list.push(node);
    byRegion.set(node.region, list);
  }

  const positions = new Map<string, { x: number; y: number }>();
  const regions: RegionBox[] = [];
  for (const region of [...byRegion.keys()].sort()) {
    const members = byRegion.get(region)!;
    const ids = new Set(members.map(node => node.id));
    const inner = graph.edges.filter(
      edge =>
        ids.has(edge.source) &&
        ids.has(edge.target) &&
        edge.source !== edge.target,
    );

    const depth = new Map(members.map(node => [node.id, 0]));
    for (let pass = 0; pass < members.length; pass++) {
      let changed = false;
      for (const edge of inner) {
        const next = depth.get(edge.source)! + 1;
        if (next > depth.get(edge.target)! && next < members.length) {
          depth.set(edge.target, next);
          changed = true;
        }
      }
      if (!changed) {
        break;
      }
    }

    const columns = new Map<number, ServiceGraphNode[]>();
    for (const node of members) {
      const column = depth.get(node.id)!;
      const list = columns.get(column) ?? [];
      list.push(node);
      columns.set(column, list);
    }

    // A tall column is split so that a region of 100 services stays
    // roughly as wide as it is high.
    const maxRows = Math.max(8, Math.ceil(Math.sqrt(members.length) * 1.5));
    let column = 0;
    let rows = 0;
    for (const key of [...columns.keys()].sort((a, b) => a - b)) {
      const list = columns
        .get(key)!
        .sort((a, b) => a.service.localeCompare(b.service));
      for (const [index, node] of list.entries()) {
        const row = index % maxRows;
        if (index > 0 && row === 0) {
          column += 1;
        }
        positions.set(node.id, {
          x: GROUP_PADDING + column * (NODE_WIDTH + COLUMN_GAP),
          y: GROUP_TITLE + row * (NODE_HEIGHT + ROW_GAP),
        });
        rows = Math.max(rows, row + 1);
      }
      column += 1;
    }

    const width =
      GROUP_PADDING * 2 + column * NODE_WIDTH + (column - 1) * COLUMN_GAP;
    const height =
      GROUP_TITLE + rows * NODE_HEIGHT + (rows - 1) * ROW_GAP + GROUP_PADDING;
    regions.push({ region, x: 0, y: 0, width, height });
  }

  return { ...graph, regions: arrangeRegions(regions), positions };
}

/** The page's graph area is about this much wider than high. */
const TARGET_ASPECT = 1.8;

/**
 * Places the region boxes in rows, as many per row as brings the whole
 * picture closest to the graph area's shape: fitting a long strip into it
 * would make every service tiny.
 */
function arrangeRegions(boxes: RegionBox[]): RegionBox[] {
  let best: RegionBox[] = boxes;
  let bestScore = Infinity;

  for (let perRow = 1; perRow <= boxes.length; perRow++) {
    const placed: RegionBox[] = [];
    let y = 0;
    let width = 0;
    for (let start = 0; start < boxes.length; start += perRow) {
      const row = boxes.slice(start, start + perRow);
      let x = 0;
      for (const box of row) {
        placed.push({ ...box, x, y });
        x += box.width + GROUP_GAP;
      }
      width = Math.max(width, x - GROUP_GAP);
      y += Math.max(...row.map(box => box.height)) + GROUP_GAP;
    }
    const height = y - GROUP_GAP;

    const score = Math.abs(Math.log(width / height / TARGET_ASPECT));
    if (score < bestScore) {
      best = placed;
      bestScore = score;
    }
  }
  return best;
}
