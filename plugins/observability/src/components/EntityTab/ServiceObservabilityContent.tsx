import { InfoCard } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import Grid from '@material-ui/core/Grid';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import { observabilityApiRef, ServiceGraphEdge } from '../../api';
import { formatMs, formatPercent, formatRate } from '../common/format';
import { useMeshLink, useTracesLink } from '../common/links';
import { PolledContent } from '../common/states';
import { DEFAULT_WINDOW, resolveWindow } from '../common/timeWindow';
import { usePolling } from '../common/usePolling';
import { SERVICE_NAME_ANNOTATION } from './annotation';
import { ServiceOpenAlertsCard, ServiceSlosCard } from './ServiceAlertCards';
import { regionLabel } from '../MeshPage/MeshGraph';
import { LogTable } from '../TracesPage/LogSearch';
import { TraceTable } from '../TracesPage/TraceSearch';

const RECENT = 10;

function serviceOf(nodeId: string) {
  return nodeId.slice(0, nodeId.lastIndexOf('@'));
}

/** The Observability tab of a component that names its service. */
export function ServiceObservabilityContent() {
  const { entity } = useEntity();
  const service = entity.metadata.annotations?.[SERVICE_NAME_ANNOTATION];

  if (!service) {
    return (
      <InfoCard title="Observability">
        This component has no {SERVICE_NAME_ANNOTATION} annotation. Add it to
        its catalog-info.yaml with the service.name its telemetry carries.
      </InfoCard>
    );
  }
  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <OverviewCard service={service} />
      </Grid>
      <Grid item xs={12} lg={6}>
        <ServiceOpenAlertsCard service={service} />
      </Grid>
      <Grid item xs={12} lg={6}>
        <ServiceSlosCard service={service} />
      </Grid>
      <Grid item xs={12}>
        <NeighboursCard service={service} />
      </Grid>
      <Grid item xs={12}>
        <RecentTracesCard service={service} />
      </Grid>
      <Grid item xs={12}>
        <RecentLogsCard service={service} />
      </Grid>
    </Grid>
  );
}

function OverviewCard(props: { service: string }) {
  const { service } = props;
  const api = useApi(observabilityApiRef);
  const state = usePolling(
    () =>
      api
        .getPerformanceOverview(resolveWindow(DEFAULT_WINDOW))
        .then(overview => ({
          ...overview,
          services: overview.services.filter(s => s.service === service),
        })),
    service,
  );

  return (
    <InfoCard title="Requests per region (last 15 minutes)">
      <PolledContent
        state={state}
        isEmpty={overview => overview.services.length === 0}
        emptyTitle={`No requests to ${service} in the last 15 minutes`}
        emptyHint="Numbers appear once the service exports server spans with this service.name to the observability engine."
      >
        {overview => (
          <Table size="small" aria-label="Requests per region">
            <TableHead>
              <TableRow>
                <TableCell>Region</TableCell>
                <TableCell align="right">Request rate</TableCell>
                <TableCell align="right">Error rate</TableCell>
                <TableCell align="right">p95</TableCell>
                <TableCell>Health</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {overview.services.map(row => (
                <TableRow key={row.region}>
                  <TableCell>{regionLabel(row.region)}</TableCell>
                  <TableCell align="right">
                    {formatRate(row.requestRate)}
                  </TableCell>
                  <TableCell align="right">
                    {formatPercent(row.errorRate)}
                  </TableCell>
                  <TableCell align="right">{formatMs(row.p95Ms)}</TableCell>
                  <TableCell>{row.health}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </PolledContent>
    </InfoCard>
  );
}

function NeighboursCard(props: { service: string }) {
  const { service } = props;
  const api = useApi(observabilityApiRef);
  const meshLink = useMeshLink();
  const state = usePolling(
    () =>
      api
        .getServiceGraph(resolveWindow(DEFAULT_WINDOW))
        .then(graph =>
          graph.edges.filter(
            edge =>
              serviceOf(edge.source) === service ||
              serviceOf(edge.target) === service,
          ),
        ),
    service,
  );

  return (
    <InfoCard
      title="Mesh neighbours (last 15 minutes)"
      deepLink={
        meshLink({ service })
          ? { title: 'Open in the mesh', link: meshLink({ service })! }
          : undefined
      }
    >
      <PolledContent
        state={state}
        isEmpty={edges => edges.length === 0}
        emptyTitle={`No calls to or from ${service} in the last 15 minutes`}
        emptyHint="Neighbours appear once calls between this service and others are traced."
      >
        {edges => <NeighbourTable service={service} edges={edges} />}
      </PolledContent>
    </InfoCard>
  );
}

function NeighbourTable(props: { service: string; edges: ServiceGraphEdge[] }) {
  return (
    <Table size="small" aria-label="Mesh neighbours">
      <TableHead>
        <TableRow>
          <TableCell>Direction</TableCell>
          <TableCell>Service</TableCell>
          <TableCell align="right">Request rate</TableCell>
          <TableCell align="right">Error rate</TableCell>
          <TableCell align="right">p95</TableCell>
          <TableCell>mTLS</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {props.edges.map(edge => {
          const outgoing = serviceOf(edge.source) === props.service;
          return (
            <TableRow key={`${edge.source}->${edge.target}`}>
              <TableCell>{outgoing ? 'calls' : 'called by'}</TableCell>
              <TableCell>{outgoing ? edge.target : edge.source}</TableCell>
              <TableCell align="right">
                {formatRate(edge.requestRate)}
              </TableCell>
              <TableCell align="right">
                {formatPercent(edge.errorRate)}
              </TableCell>
              <TableCell align="right">{formatMs(edge.p95Ms)}</TableCell>
              <TableCell>{edge.mtls ? 'yes' : 'no'}</TableCell>
            </TableRow>
          );
        })}
      </TableBody>
    </Table>
  );
}

function RecentTracesCard(props: { service: string }) {
  const { service } = props;
  const api = useApi(observabilityApiRef);
  const tracesLink = useTracesLink();
  const state = usePolling(
    () => api.searchTraces({ service, limit: RECENT }),
    service,
  );
  const all = tracesLink({ tab: 'traces', service, window: '1h' });

  return (
    <InfoCard
      title="Recent traces"
      deepLink={all ? { title: 'All traces', link: all } : undefined}
    >
      <PolledContent
        state={state}
        isEmpty={traces => traces.length === 0}
        emptyTitle={`No traces of ${service} in the last hour`}
        emptyHint="Traces appear once the service exports spans to the observability engine."
      >
        {traces => (
          <TraceTable
            traces={traces}
            linkTo={traceId =>
              tracesLink({
                tab: 'traces',
                service,
                window: '1h',
                trace: traceId,
              })
            }
          />
        )}
      </PolledContent>
    </InfoCard>
  );
}

function RecentLogsCard(props: { service: string }) {
  const { service } = props;
  const api = useApi(observabilityApiRef);
  const tracesLink = useTracesLink();
  const state = usePolling(
    () => api.searchLogs({ service, limit: RECENT }),
    service,
  );
  const all = tracesLink({ tab: 'logs', service, window: '1h' });

  return (
    <InfoCard
      title="Recent logs"
      deepLink={all ? { title: 'All logs', link: all } : undefined}
    >
      <PolledContent
        state={state}
        isEmpty={page => page.logs.length === 0}
        emptyTitle={`No log records of ${service} in the last hour`}
        emptyHint="Logs appear once the service exports them to the observability engine."
      >
        {page => <LogTable logs={page.logs} />}
      </PolledContent>
    </InfoCard>
  );
}
