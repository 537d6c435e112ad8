import { Server } from 'node:http';

/*
 * The routes a started backend serves, read from its express app at run
 * time, so that a route added to any plugin's router is covered without a
 * list to keep up to date.
 */

export type PluginRoute = {
  pluginId: string;
  method: string;
  /** The route's path inside the plugin, as the router declares it. */
  path: string;
};

type Layer = {
  route?: { path: string | string[] | RegExp; methods: Record<string, true> };
  handle: { stack?: Layer[] };
  regexp: RegExp & { fast_slash?: boolean };
  match(path: string): boolean;
};

function walk(
  stack: Layer[],
  pluginIds: string[],
  pluginId: string | undefined,
  routes: PluginRoute[],
) {
  for (const layer of stack) {
    if (layer.route) {
      if (!pluginId) {
        continue;
      }
      const paths = Array.isArray(layer.route.path)
        ? layer.route.path
        : [layer.route.path];
      for (const path of paths) {
        if (typeof path !== 'string') {
          throw new Error(`Plugin ${pluginId} has a route by pattern ${path}`);
        }
        for (const method of Object.keys(layer.route.methods)) {
          routes.push({ pluginId, method: method.toUpperCase(), path });
        }
      }
      continue;
    }

    const nested = layer.handle.stack;
    if (!nested) {
      continue;
    }

    // A router used without a path (fast_slash) belongs to the plugin whose
    // router holds it; one mounted on a path is a plugin's own when that
    // path is /api/<pluginId>.
    if (layer.regexp.fast_slash) {
      walk(nested, pluginIds, pluginId, routes);
      continue;
    }
    const owner = pluginIds.find(id => layer.match(`/api/${id}`));
    if (pluginId && owner !== pluginId) {
      // A plugin's router mounted on a sub-path: its routes' paths would
      // need the prefix, which this walk does not read.
      throw new Error(`Plugin ${pluginId} mounts a router on a path`);
    }
    walk(nested, pluginIds, owner ?? pluginId, routes);
  }
}

/** Every route of the given plugins that a test backend's server serves. */
export function listPluginRoutes(
  server: Server,
  pluginIds: string[],
): PluginRoute[] {
  const app = server.listeners('request')[0] as unknown as {
    _router?: { stack: Layer[] };
  };
  if (!app?._router) {
    throw new Error('The server has no express app to read routes from');
  }

  const routes: PluginRoute[] = [];
  walk(app._router.stack, pluginIds, undefined, routes);
  return routes;
}

/** A concrete path for a route path: each parameter gets a plausible value. */
export function samplePath(path: string): string {
  return path.replace(/:(\w+)/g, (_, name: string) =>
    /traceid/i.test(name) ? '5b8efff798038103d269b633813fc60c' : 'eu-west-1',
  );
}
