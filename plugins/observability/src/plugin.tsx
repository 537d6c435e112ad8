import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import AccountTreeIcon from '@material-ui/icons/AccountTree';
import TimelineIcon from '@material-ui/icons/Timeline';
import { observabilityApiRef, ObservabilityClient } from './api';
import { SERVICE_NAME_ANNOTATION } from './components/EntityTab/annotation';
import { meshRouteRef, tracesRouteRef } from './routes';

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
 * The observability pages: Traces & logs, Mesh, and the Observability tab
 * of each service's catalog page. The Regions, Zero trust, Alerts and SLO
 * pages join this plugin (or sit beside it) when their backends exist.
 */
export const observabilityPlugin = createFrontendPlugin({
  pluginId: 'observability',
  title: 'Observability',
  icon: <TimelineIcon />,
  routes: { traces: tracesRouteRef, mesh: meshRouteRef },
  extensions: [observabilityApi, tracesPage, meshPage, serviceContent],
});
