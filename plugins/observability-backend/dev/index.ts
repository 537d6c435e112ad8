import { createBackend } from '@backstage/backend-defaults';
import { mockServices } from '@backstage/backend-test-utils';

// A backend with only the observability engine, for working on the plugin:
// `yarn start` in this folder. The mocked auth accepts
// `Authorization: Bearer mock-service-token` on the ingest routes.
const backend = createBackend();

backend.add(mockServices.auth.factory());
backend.add(mockServices.httpAuth.factory());
backend.add(import('../src'));

backend.start();
