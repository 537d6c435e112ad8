import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { createValidatedOpenApiRouter } from '@backstage/backend-openapi-utils';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

/** The OpenAPI document of the engine's API, which the router enforces. */
export type OpenApiDocument = Parameters<
  typeof createValidatedOpenApiRouter
>[0];

/** Where the document lives; catalog/apis/tms-observability-api.yaml inlines it. */
export const OPENAPI_PATH = resolvePackagePath(
  '@internal/backstage-plugin-observability-backend',
  'src/schema/openapi.yaml',
);

export function readOpenApiDocument(): OpenApiDocument {
  return parse(readFileSync(OPENAPI_PATH, 'utf8'));
}

/**
 * The paths the alerts router serves (src/alertsRouter.ts). It validates
 * them after its own body parser; the engine's router, which has none,
 * leaves them alone.
 */
export const ALERTS_PATH = /\/(alerts|silences|alert-rules|slos)(\/|$)/;
