import { createBackend } from '@backstage/backend-defaults';
import { rootHttpRouterServiceFactory } from '@backstage/backend-defaults/rootHttpRouter';
import observabilityPlugin from '@internal/backstage-plugin-observability-backend';
import trafficGeneratorModule from '@internal/backstage-plugin-observability-backend-module-traffic-generator';
import { engineAtRoot } from './rootPaths';

const backend = createBackend();

backend.add(
  rootHttpRouterServiceFactory({
    indexPath: false,
    configure: ({ app, applyDefaults }) => {
      app.use(engineAtRoot);
      applyDefaults();
    },
  }),
);
backend.add(observabilityPlugin);
backend.add(trafficGeneratorModule);

backend.start();
