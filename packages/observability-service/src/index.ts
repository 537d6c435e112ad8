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

// A backend whose plugins failed to start must not stay up: its port would
// answer 404 where a probe expects the service, and an orchestrator would
// never restart it. Backstage has logged the cause by now.
backend.start().catch(() => {
  process.exit(1);
});
