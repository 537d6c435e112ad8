import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import AccountTreeIcon from '@material-ui/icons/AccountTree';
import AssessmentIcon from '@material-ui/icons/Assessment';
import NotificationsActiveIcon from '@material-ui/icons/NotificationsActive';
import TimelineIcon from '@material-ui/icons/Timeline';
import { observabilityApiRef, ObservabilityClient } from './api';
import { SERVICE_NAME_ANNOTATION } from './components/EntityTab/annotation';
import {
  alertsRouteRef,
  meshRouteRef,
  slosRouteRef,
  tracesRouteRef,
} from './routes';

const observabilityApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: observabilityApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: deps => new ObservabilityClient(deps),
    }),
});

// A page with a title and an icon is a sidebar item in the app's nav.
const tracesPage = PageBlueprint.make({
  name: 'traces',
  params: {
    path: '/traces-and-logs',
    title: 'Traces & logs',
    icon: <TimelineIcon />,
    routeRef: tracesRouteRef,
    noHeader: true,
    loader: () =>
      import('./components/TracesPage/TracesPage').then(m => <m.TracesPage />),
  },
});

const meshPage = PageBlueprint.make({
  name: 'mesh',
  params: {
    path: '/mesh',
    title: 'Mesh',
    icon: <AccountTreeIcon />,
    routeRef: meshRouteRef,
    noHeader: true,
    loader: () =>
      import('./components/MeshPage/MeshPage').then(m => <m.MeshPage />),
  },
});

const alertsPage = PageBlueprint.make({
  name: 'alerts',
  params: {
    path: '/alerts',
    title: 'Alerts',
    icon: <NotificationsActiveIcon />,
    routeRef: alertsRouteRef,
    noHeader: true,
    loader: () =>
      import('./components/AlertsPage/AlertsPage').then(m => <m.AlertsPage />),
  },
});

const slosPage = PageBlueprint.make({
  name: 'slos',
  params: {
    path: '/slos-and-kpis',
    title: 'SLOs & KPIs',
    icon: <AssessmentIcon />,
    routeRef: slosRouteRef,
    noHeader: true,
    loader: () =>
      import('./components/SlosPage/SlosPage').then(m => <m.SlosPage />),
  },
});

const serviceContent = EntityContentBlueprint.make({
  params: {
    path: 'observability',
    title: 'Observability',
    filter: entity =>
      entity.kind.toLocaleLowerCase('en-US') === 'component' &&
      Boolean(entity.metadata.annotations?.[SERVICE_NAME_ANNOTATION]),
    loader: () =>
      import('./components/EntityTab/ServiceObservabilityContent').then(m => (
        <m.ServiceObservabilityContent />
      )),
  },
});

/**
 * The observability pages: Traces & logs, Mesh, Alerts, SLOs & KPIs, and
 * the Observability tab of each service's catalog page.
 */
export const observabilityPlugin = createFrontendPlugin({
  pluginId: 'observability',
  title: 'Observability',
  icon: <TimelineIcon />,
  routes: {
    traces: tracesRouteRef,
    mesh: meshRouteRef,
    alerts: alertsRouteRef,
    slos: slosRouteRef,
  },
  extensions: [
    observabilityApi,
    tracesPage,
    meshPage,
    alertsPage,
    slosPage,
    serviceContent,
  ],
});
