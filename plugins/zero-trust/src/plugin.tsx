import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import SecurityIcon from '@material-ui/icons/Security';
import { zeroTrustApiRef, ZeroTrustClient } from './api';
import { zeroTrustRouteRef } from './routes';

const zeroTrustApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: zeroTrustApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: deps => new ZeroTrustClient(deps),
    }),
});

const zeroTrustPage = PageBlueprint.make({
  params: {
    path: '/zero-trust',
    title: 'Zero trust',
    icon: <SecurityIcon />,
    routeRef: zeroTrustRouteRef,
    noHeader: true,
    loader: () =>
      import('./components/ZeroTrustPage/ZeroTrustPage').then(m => (
        <m.ZeroTrustPage />
      )),
  },
});

/** The Zero trust page over the zero-trust engine (`/api/zero-trust`). */
export const zeroTrustPlugin = createFrontendPlugin({
  pluginId: 'zero-trust',
  title: 'Zero trust',
  icon: <SecurityIcon />,
  routes: { root: zeroTrustRouteRef },
  extensions: [zeroTrustApi, zeroTrustPage],
});
