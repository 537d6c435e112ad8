import { InputError } from '@backstage/errors';
import {
  asArray,
  asObject,
  asString,
  Attributes,
  OtlpPath,
  readAttributes,
} from './values';

/** What every item of an export inherits from its resource and scope. */
export interface ItemOrigin {
  service: string;
  region?: string;
  resourceAttributes: Attributes;
  scope: { name: string; version: string };
}

/** How one OTLP signal nests its items: resourceSpans[].scopeSpans[].spans[]. */
export interface SignalLayout {
  resources: string;
  scopes: string;
  items: string;
}

export const TRACES: SignalLayout = {
  resources: 'resourceSpans',
  scopes: 'scopeSpans',
  items: 'spans',
};

export const LOGS: SignalLayout = {
  resources: 'resourceLogs',
  scopes: 'scopeLogs',
  items: 'logRecords',
};

export const METRICS: SignalLayout = {
  resources: 'resourceMetrics',
  scopes: 'scopeMetrics',
  items: 'metrics',
};

/** What a JSON value is, without repeating it. */
function kindOf(value: unknown) {
  if (value === null) {
    return 'null';
  }
  if (Array.isArray(value)) {
    return 'an array';
  }
  return `a ${typeof value}`;
}

/** The service a resource describes; OTLP's own default when it has none. */
const UNKNOWN_SERVICE = 'unknown_service';

/**
 * Calls `visit` for every item of an export request in the OTLP/JSON shape,
 * with the path that names it in errors and what it inherits from its
 * resource (service.name, cloud.region) and instrumentation scope.
 */
export function forEachExportItem(
  body: unknown,
  layout: SignalLayout,
  visit: (
    item: Record<string, unknown>,
    path: OtlpPath,
    origin: ItemOrigin,
  ) => void,
) {
  // Unlike a field, which may be left out or null, the request itself
  // must be there: `null` or `[]` exports nothing, and must not pass.
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new InputError(
      `An OTLP/JSON export must be a JSON object, not ${kindOf(body)}`,
    );
  }
  const root = new OtlpPath();
  const request = body as Record<string, unknown>;

  const resourcesPath = root.field(layout.resources);
  asArray(request[layout.resources], resourcesPath).forEach((r, i) => {
    const resourcePath = resourcesPath.index(i);
    const entry = asObject(r, resourcePath);
    const resource = asObject(entry.resource, resourcePath.field('resource'));
    const resourceAttributes = readAttributes(
      resource.attributes,
      resourcePath.field('resource').field('attributes'),
    );
    const service = resourceAttributes['service.name'];
    const region = resourceAttributes['cloud.region'];

    const scopesPath = resourcePath.field(layout.scopes);
    asArray(entry[layout.scopes], scopesPath).forEach((s, j) => {
      const scopePath = scopesPath.index(j);
      const scopeEntry = asObject(s, scopePath);
      const scope = asObject(scopeEntry.scope, scopePath.field('scope'));
      const origin: ItemOrigin = {
        service: typeof service === 'string' ? service : UNKNOWN_SERVICE,
        region: typeof region === 'string' ? region : undefined,
        resourceAttributes,
        scope: {
          name: asString(scope.name, scopePath.field('scope').field('name')),
          version: asString(
            scope.version,
            scopePath.field('scope').field('version'),
          ),
        },
      };

      const itemsPath = scopePath.field(layout.items);
      asArray(scopeEntry[layout.items], itemsPath).forEach((item, k) => {
        const itemPath = itemsPath.index(k);
        visit(asObject(item, itemPath), itemPath, origin);
      });
    });
  });
}
