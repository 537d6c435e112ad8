import { Content, Header, Page } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { useCallback, useMemo, useRef } from 'react';
import { observabilityApiRef, ServiceGraph } from '../../api';
import {
  SelectFilter,
  TextFilter,
  useUrlFilters,
  WindowFilter,
} from '../common/Filters';
import { PolledContent } from '../common/states';
import { resolveWindow, windowName } from '../common/timeWindow';
import { usePolling } from '../common/usePolling';
import { edgeKey, MeshGraph, MeshSelection, regionLabel } from './MeshGraph';
import { filterGraph, layoutMesh } from './meshLayout';
import { MeshSidePanel, RedSample } from './MeshSidePanel';

const HISTORY_SAMPLES = 60;

/** `selected` in the URL: a node id, or `source->target` for an edge. */
function parseSelection(value?: string): MeshSelection | undefined {
  if (!value) {
    return undefined;
  }
  const arrow = value.indexOf('->');
  return arrow > -1
    ? {
        kind: 'edge',
        source: value.slice(0, arrow),
        target: value.slice(arrow + 2),
      }
    : { kind: 'node', id: value };
}

/**
 * The mesh topology. Filters (region, service, window) and the selected
 * node or edge live in the URL.
 */
export function MeshPage() {
  const api = useApi(observabilityApiRef);
  const { get, update } = useUrlFilters();
  const window = windowName(get('window') ?? null);
  const region = get('region');
  const service = get('service');
  const selection = parseSelection(get('selected'));

  // RED numbers of every node and edge per poll, for the side panel charts.
  const history = useRef(new Map<string, RedSample[]>());
  const record = useCallback((graph: ServiceGraph) => {
    const timeMs = Date.parse(graph.to);
    const items = [
      ...graph.nodes.map(node => [node.id, node] as const),
      ...graph.edges.map(edge => [edgeKey(edge), edge] as const),
    ];
    for (const [id, item] of items) {
      const samples = history.current.get(id) ?? [];
      if (samples[samples.length - 1]?.timeMs !== timeMs) {
        samples.push({
          timeMs,
          requestRate: item.requestRate,
          errorRate: item.errorRate,
          p95Ms: item.p95Ms,
        });
      }
      history.current.set(id, samples.slice(-HISTORY_SAMPLES));
    }
    return graph;
  }, []);

  const state = usePolling(
    () => api.getServiceGraph(resolveWindow(window)).then(record),
    window,
  );

  const onSelect = useCallback(
    (next?: MeshSelection) => {
      let value: string | undefined;
      if (next?.kind === 'node') {
        value = next.id;
      } else if (next?.kind === 'edge') {
        value = edgeKey(next);
      }
      update({ selected: value });
    },
    [update],
  );

  const regions = useMemo(
    () => [...new Set(state.value?.nodes.map(n => n.region) ?? [])].sort(),
    [state.value],
  );
  const layout = useMemo(
    () =>
      state.value
        ? layoutMesh(filterGraph(state.value, { region, service }))
        : undefined,
    [state.value, region, service],
  );

  const selectedNode =
    selection?.kind === 'node'
      ? state.value?.nodes.find(node => node.id === selection.id)
      : undefined;
  const selectedEdge =
    selection?.kind === 'edge'
      ? state.value?.edges.find(
          edge =>
            edge.source === selection.source &&
            edge.target === selection.target,
        )
      : undefined;
  const selectedId =
    selectedNode?.id ?? (selectedEdge && edgeKey(selectedEdge));

  return (
    <Page themeId="tool">
      <Header
        title="Mesh"
        subtitle="Calls between services, per region, from the spans the engine received"
      />
      <Content>
        <Box display="flex" flexWrap="wrap" style={{ gap: 12 }} mb={2}>
          <SelectFilter
            label="Region"
            value={region ?? 'all'}
            options={[
              { value: 'all', label: 'All regions' },
              ...(region && !regions.includes(region) ? [region] : [])
                .concat(regions)
                .map(r => ({ value: r, label: regionLabel(r) })),
            ]}
            onChange={value =>
              update({ region: value === 'all' ? undefined : value })
            }
          />
          <TextFilter
            label="Service"
            value={service}
            onChange={value => update({ service: value })}
          />
          <WindowFilter
            value={window}
            onChange={value => update({ window: value })}
          />
        </Box>
        <PolledContent
          state={state}
          isEmpty={graph => graph.nodes.length === 0}
          emptyTitle="No calls in this time range"
          emptyHint="The mesh is drawn from server spans. Pick a longer time range, or send traffic: locally, start the portal with the traffic generator on (see the README)."
        >
          {() =>
            layout!.nodes.length === 0 ? (
              <Typography>
                No service matches these filters. Clear the service or region
                filter to see the whole mesh.
              </Typography>
            ) : (
              <>
                <Typography variant="body2" color="textSecondary" gutterBottom>
                  {layout!.nodes.length} services, {layout!.edges.length} calls,{' '}
                  {layout!.regions.length} regions. Solid edges use mutual TLS
                  on every request (lock), dashed ones do not.
                  {layout!.nodes.length > 100 &&
                    ' A mesh this large opens on its first region: zoom out, use the minimap or filter by region or service.'}
                </Typography>
                {/* The panel floats over the graph so that opening it does
                    not resize the graph and lose its fitted view. */}
                <Box position="relative">
                  <MeshGraph
                    layout={layout!}
                    selection={selection}
                    onSelect={onSelect}
                  />
                  {(selectedNode || selectedEdge) && (
                    <MeshSidePanel
                      node={selectedNode}
                      edge={selectedEdge}
                      history={history.current.get(selectedId!) ?? []}
                      window={window}
                      onClose={() => onSelect(undefined)}
                    />
                  )}
                </Box>
              </>
            )
          }
        </PolledContent>
      </Content>
    </Page>
  );
}
