import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import PublicIcon from '@material-ui/icons/Public';
import { regionsApiRef, RegionsClient } from './api';
import { regionsRouteRef } from './routes';

const regionsApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: regionsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: deps => new RegionsClient(deps),
    }),
});

const regionsPage = PageBlueprint.make({
  params: {
    path: '/regions',
    title: 'Regions',
    icon: <PublicIcon />,
    routeRef: regionsRouteRef,
    noHeader: true,
    loader: () =>
      import('./components/RegionsPage/RegionsPage').then(m => (
        <m.RegionsPage />
      )),
  },
});

/** The Regions page over the regions engine (`/api/regions`). */
export const regionsPlugin = createFrontendPlugin({
  pluginId: 'regions',
  title: 'Regions',
  icon: <PublicIcon />,
  routes: { root: regionsRouteRef },
  extensions: [regionsApi, regionsPage],
});
