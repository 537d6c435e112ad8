import Box from '@material-ui/core/Box';
import { makeStyles, useTheme } from '@material-ui/core/styles';
import LockIcon from '@material-ui/icons/Lock';
import {
  Background,
  BaseEdge,
  Controls,
  Edge,
  EdgeLabelRenderer,
  EdgeProps,
  getBezierPath,
  Handle,
  MiniMap,
  Node,
  NodeProps,
  Position,
  ReactFlow,
  ReactFlowProvider,
} from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { memo, useMemo } from 'react';
import { Health, ServiceGraphEdge, ServiceGraphNode } from '../../api';
import { formatMs, formatPercent, formatRate } from '../common/format';
import { MeshLayout, NODE_HEIGHT, NODE_WIDTH } from './meshLayout';

/**
 * Over this many services only what is in view is rendered, and the page
 * opens on the first region's box rather than on all of them: the whole of
 * a large mesh fits only at a zoom where no name can be read, and drawing
 * it all at once is what makes a large mesh slow to open. The minimap and
 * the fit-view control show the rest.
 */
const VIRTUALIZE_FROM = 100;

/** Over this many calls, edge labels show only for the selection. */
const LABEL_ALL_EDGES_UP_TO = 120;

export type MeshSelection =
  | { kind: 'node'; id: string }
  | { kind: 'edge'; source: string; target: string };

export function edgeKey(edge: { source: string; target: string }) {
  return `${edge.source}->${edge.target}`;
}

export function regionLabel(region: string) {
  return region || 'unknown region';
}

const useStyles = makeStyles(theme => ({
  region: {
    width: '100%',
    height: '100%',
    borderRadius: 8,
    border: `1px dashed ${theme.palette.divider}`,
    background:
      theme.palette.type === 'dark'
        ? 'rgba(255,255,255,0.03)'
        : 'rgba(0,0,0,0.025)',
    padding: '6px 12px',
    fontWeight: 600,
    color: theme.palette.text.secondary,
  },
  service: {
    width: NODE_WIDTH,
    height: NODE_HEIGHT,
    borderRadius: 6,
    borderWidth: 2,
    borderStyle: 'solid',
    background: theme.palette.background.paper,
    color: theme.palette.text.primary,
    padding: '4px 8px',
    fontSize: 12,
    lineHeight: '16px',
    overflow: 'hidden',
    cursor: 'pointer',
  },
  selected: { boxShadow: `0 0 0 3px ${theme.palette.primary.light}` },
  name: { fontWeight: 600, whiteSpace: 'nowrap', textOverflow: 'ellipsis' },
  edgeLabel: {
    position: 'absolute',
    pointerEvents: 'all',
    fontSize: 10,
    padding: '1px 4px',
    borderRadius: 4,
    border: `1px solid ${theme.palette.divider}`,
    background: theme.palette.background.paper,
    color: theme.palette.text.primary,
    cursor: 'pointer',
    display: 'flex',
    alignItems: 'center',
    gap: 2,
    whiteSpace: 'nowrap',
  },
}));

export function useHealthColour() {
  const theme = useTheme();
  return (health: Health | 'idle') =>
    ({
      healthy: theme.palette.success?.main ?? '#2e7d32',
      degraded: theme.palette.warning?.main ?? '#ed6c02',
      failing: theme.palette.error.main,
      idle: theme.palette.grey[500],
    }[health]);
}

/**
 * An edge's colour by its error rate, on the engine's thresholds: the SLA's
 * 1% and the 10% from which a service is failing.
 */
export function edgeHealth(errorRate: number): Health {
  if (errorRate >= 0.1) {
    return 'failing';
  }
  return errorRate >= 0.01 ? 'degraded' : 'healthy';
}

/** A service that served no request in the window only called others. */
export function nodeHealth(node: ServiceGraphNode): Health | 'idle' {
  return node.requestRate === 0 ? 'idle' : node.health;
}

type RegionNodeData = { label: string };
type ServiceNodeData = { node: ServiceGraphNode; selected: boolean };
type CallEdgeData = {
  edge: ServiceGraphEdge;
  showLabel: boolean;
  selected: boolean;
  onSelect: (edge: ServiceGraphEdge) => void;
};

const RegionNode = memo((props: NodeProps<Node<RegionNodeData>>) => {
  const classes = useStyles();
  return <div className={classes.region}>{props.data.label}</div>;
});

const ServiceNode = memo((props: NodeProps<Node<ServiceNodeData>>) => {
  const classes = useStyles();
  const colour = useHealthColour();
  const { node, selected } = props.data;
  const health = nodeHealth(node);
  return (
    <div
      className={`${classes.service} ${selected ? classes.selected : ''}`}
      style={{ borderColor: colour(health) }}
      role="button"
      aria-label={`Service ${node.service} in ${regionLabel(node.region)}, ${
        health === 'idle' ? 'no requests served' : health
      }`}
      data-health={health}
    >
      <Handle type="target" position={Position.Left} isConnectable={false} />
      <div className={classes.name}>{node.service}</div>
      <div>
        {formatRate(node.requestRate)} · {formatPercent(node.errorRate)} · p95{' '}
        {formatMs(node.p95Ms)}
      </div>
      <Handle type="source" position={Position.Right} isConnectable={false} />
    </div>
  );
});

function CallEdge(props: EdgeProps<Edge<CallEdgeData>>) {
  const classes = useStyles();
  const colour = useHealthColour();
  const { edge, showLabel, selected, onSelect } = props.data!;
  const [path, labelX, labelY] = getBezierPath(props);
  const health = edgeHealth(edge.errorRate);

  return (
    <>
      <BaseEdge
        id={props.id}
        path={path}
        markerEnd={props.markerEnd}
        style={{
          stroke: colour(health),
          strokeWidth: selected ? 3 : 1.5,
          strokeDasharray: edge.mtls ? undefined : '5 4',
        }}
      />
      {(showLabel || selected) && (
        <EdgeLabelRenderer>
          <button
            type="button"
            className={`${classes.edgeLabel} nodrag nopan`}
            style={{
              transform: `translate(-50%, -50%) translate(${labelX}px,${labelY}px)`,
              outline: selected ? `2px solid ${colour(health)}` : undefined,
            }}
            aria-label={`Call from ${edge.source} to ${edge.target}`}
            data-testid="mesh-edge-label"
            onClick={() => onSelect(edge)}
          >
            {edge.mtls && (
              <LockIcon
                style={{ fontSize: 11 }}
                titleAccess="mutual TLS"
                aria-label="mutual TLS"
              />
            )}
            {formatRate(edge.requestRate)} · {formatPercent(edge.errorRate)} ·
            p95 {formatMs(edge.p95Ms)}
          </button>
        </EdgeLabelRenderer>
      )}
    </>
  );
}

const NODE_TYPES = { region: RegionNode, service: ServiceNode };
const EDGE_TYPES = { call: CallEdge };

/** The service topology, one box per region. */
export function MeshGraph(props: {
  layout: MeshLayout;
  selection?: MeshSelection;
  onSelect: (selection?: MeshSelection) => void;
  height?: number | string;
}) {
  const {
    layout,
    selection,
    onSelect,
    height = 'max(520px, 100vh - 300px)',
  } = props;
  const colour = useHealthColour();

  const nodes = useMemo(() => {
    const result: Node[] = layout.regions.map(box => ({
      id: `region:${box.region}`,
      type: 'region',
      position: { x: box.x, y: box.y },
      data: { label: regionLabel(box.region) },
      style: { width: box.width, height: box.height },
      width: box.width,
      height: box.height,
      selectable: false,
      draggable: false,
      zIndex: -1,
    }));
    for (const node of layout.nodes) {
      result.push({
        id: node.id,
        type: 'service',
        parentId: `region:${node.region}`,
        position: layout.positions.get(node.id)!,
        width: NODE_WIDTH,
        height: NODE_HEIGHT,
        data: {
          node,
          selected: selection?.kind === 'node' && selection.id === node.id,
        },
        draggable: false,
      });
    }
    return result;
  }, [layout, selection]);

  const edges = useMemo(() => {
    const showAll = layout.edges.length <= LABEL_ALL_EDGES_UP_TO;
    const selectedNode = selection?.kind === 'node' ? selection.id : undefined;
    return layout.edges.map(
      (edge): Edge<CallEdgeData> => ({
        id: edgeKey(edge),
        source: edge.source,
        target: edge.target,
        type: 'call',
        ariaLabel: `Call from ${edge.source} to ${edge.target}`,
        data: {
          edge,
          showLabel:
            showAll ||
            edge.source === selectedNode ||
            edge.target === selectedNode,
          selected:
            selection?.kind === 'edge' &&
            selection.source === edge.source &&
            selection.target === edge.target,
          onSelect: selected =>
            onSelect({
              kind: 'edge',
              source: selected.source,
              target: selected.target,
            }),
        },
      }),
    );
  }, [layout, selection, onSelect]);

  const large = layout.nodes.length > VIRTUALIZE_FROM;
  const firstRegion = layout.regions[0]?.region;
  const fitViewOptions = useMemo(
    () =>
      large && firstRegion !== undefined
        ? { nodes: [{ id: `region:${firstRegion}` }] }
        : undefined,
    [large, firstRegion],
  );

  return (
    <Box
      height={height}
      data-testid="mesh-graph"
      data-nodes={layout.nodes.length}
    >
      <ReactFlowProvider>
        <ReactFlow
          nodes={nodes}
          edges={edges}
          nodeTypes={NODE_TYPES}
          edgeTypes={EDGE_TYPES}
          fitView
          fitViewOptions={fitViewOptions}
          minZoom={0.05}
          nodesConnectable={false}
          nodesDraggable={false}
          onlyRenderVisibleElements={large}
          onNodeClick={(_event, node) => {
            if (node.type === 'service') {
              onSelect({ kind: 'node', id: node.id });
            }
          }}
          onEdgeClick={(_event, edge) =>
            onSelect({ kind: 'edge', source: edge.source, target: edge.target })
          }
          onPaneClick={() => onSelect(undefined)}
        >
          <Background />
          <Controls showInteractive={false} />
          <MiniMap
            pannable
            zoomable
            nodeColor={node =>
              node.type === 'service'
                ? colour(nodeHealth((node.data as ServiceNodeData).node))
                : 'transparent'
            }
          />
        </ReactFlow>
      </ReactFlowProvider>
    </Box>
  );
}
