/*
 * The portal backend's zero-trust and observability plugins in a backend of
 * their own, with real service-to-service auth (a static token), for the
 * HTTP part of `yarn bench:zero-trust`. Config comes from --config.
 */
import { createBackend } from '@backstage/backend-defaults';

const backend = createBackend();
backend.add(import('../src'));
backend.add(import('@internal/backstage-plugin-observability-backend'));
backend.start();
