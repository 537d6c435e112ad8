import { createBackend } from '@backstage/backend-defaults';
import { tmsBackendFeatures } from './features';

const backend = createBackend();

for (const feature of tmsBackendFeatures) {
  backend.add(feature);
}

backend.start();
