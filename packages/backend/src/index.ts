import { createBackend } from '@backstage/backend-defaults';
import { tmsBackendFeatures } from './features';

const backend = createBackend();

for (const feature of tmsBackendFeatures) {
  backend.add(feature);
}

// A backend whose plugins failed to start must not stay up: its port would
// answer 404 where a probe expects the service, and an orchestrator would
// never restart it. Backstage has logged the cause by now.
backend.start().catch(() => {
  process.exit(1);
});
