import { Config, readDurationFromConfig } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { durationToMilliseconds } from '@backstage/types';

export type RegionRole = 'primary' | 'secondary';

/** One region of the TMS platform, as configured under `regions.list`. */
export interface RegionDefinition {
  id: string;
  title: string;
  latitude: number;
  longitude: number;
  role: RegionRole;
  /** URLs probed for the region's health; nothing else is ever probed. */
  healthEndpoints: string[];
  kubernetesCluster: string;
  argocd?: { url: string; token?: string };
  /** Requests per second the region can serve. */
  capacityRps: number;
  /** Regions that take over, in order of preference. */
  failover: string[];
  /** The catalog Resource that describes the region. */
  entityRef: string;
}

export interface ProbeSettings {
  intervalMs: number;
  timeoutMs: number;
  /** Consecutive failed rounds from healthy/degraded to down. */
  failuresToDown: number;
  /** Consecutive good rounds from down/degraded back to healthy. */
  successesToHealthy: number;
  /** How long probe history is kept. */
  historyHours: number;
}

export interface RegionsConfig {
  regions: RegionDefinition[];
  /** The rollout order of releases. */
  rolloutOrder: string[];
  nginx: { configPath: string; variable: string; reloadIntervalMs: number };
  probes: ProbeSettings;
  /** Services behind the load balancer whose traffic is a region's load. */
  entryServices: string[];
  /** Which service serves each public API (rate limit zone). */
  apiServices: Record<string, string>;
  simulation: { enabled: boolean };
}

const ID = /^[a-z0-9][a-z0-9-]{0,62}$/;

function durationMs(config: Config, key: string, fallback: number) {
  return config.has(key)
    ? durationToMilliseconds(readDurationFromConfig(config, { key }))
    : fallback;
}

/** Reads and checks `regions`; every problem names the offending value. */
export function readRegionsConfig(root: Config): RegionsConfig {
  const config = root.getConfig('regions');

  const regions = config.getConfigArray('list').map(region => {
    const id = region.getString('id');
    if (!ID.test(id)) {
      throw new InputError(`regions.list: invalid region id '${id}'`);
    }
    const role = region.getOptionalString('role') ?? 'secondary';
    if (role !== 'primary' && role !== 'secondary') {
      throw new InputError(
        `regions.list[${id}].role must be primary or secondary, not '${role}'`,
      );
    }
    const latitude = region.getNumber('latitude');
    const longitude = region.getNumber('longitude');
    if (Math.abs(latitude) > 90 || Math.abs(longitude) > 180) {
      throw new InputError(
        `regions.list[${id}]: location ${latitude},${longitude} is not a latitude and longitude`,
      );
    }
    // A path is on this backend itself (the simulated endpoints of the
    // embedded default), whatever port it runs on.
    const healthEndpoints = region
      .getStringArray('healthEndpoints')
      .map(url =>
        url.startsWith('/')
          ? `${root.getString('backend.baseUrl')}${url}`
          : url,
      );
    for (const url of healthEndpoints) {
      let protocol: string;
      try {
        protocol = new URL(url).protocol;
      } catch {
        throw new InputError(
          `regions.list[${id}]: invalid health endpoint '${url}'`,
        );
      }
      if (protocol !== 'http:' && protocol !== 'https:') {
        throw new InputError(
          `regions.list[${id}]: health endpoint '${url}' is not http(s)`,
        );
      }
    }
    const capacityRps = region.getNumber('capacity.requestsPerSecond');
    if (!(capacityRps > 0)) {
      throw new InputError(
        `regions.list[${id}].capacity.requestsPerSecond must be above 0, not ${capacityRps}`,
      );
    }
    const argocd = region.getOptionalConfig('argocd');
    return {
      id,
      title: region.getOptionalString('title') ?? id,
      latitude,
      longitude,
      role: role as RegionRole,
      healthEndpoints,
      kubernetesCluster: region.getString('kubernetesCluster'),
      argocd: argocd && {
        url: argocd.getString('url'),
        // An empty token (an unset variable) means none.
        token: argocd.getOptionalString('token') || undefined,
      },
      capacityRps,
      failover: region.getOptionalStringArray('failover') ?? [],
      entityRef:
        region.getOptionalString('entityRef') ??
        `resource:default/region-${id}`,
    };
  });

  const ids = new Set<string>();
  for (const region of regions) {
    if (ids.has(region.id)) {
      throw new InputError(`regions.list: duplicate region '${region.id}'`);
    }
    ids.add(region.id);
  }
  for (const region of regions) {
    for (const target of region.failover) {
      if (!ids.has(target) || target === region.id) {
        throw new InputError(
          `regions.list[${region.id}].failover names '${target}', which is not another configured region`,
        );
      }
    }
  }

  const rolloutOrder =
    config.getOptionalStringArray('rolloutOrder') ?? regions.map(r => r.id);
  const unknown = rolloutOrder.find(id => !ids.has(id));
  if (unknown) {
    throw new InputError(
      `regions.rolloutOrder names unknown region '${unknown}'`,
    );
  }

  const probes: ProbeSettings = {
    intervalMs: durationMs(config, 'probes.interval', 1000),
    timeoutMs: durationMs(config, 'probes.timeout', 750),
    failuresToDown: config.getOptionalNumber('probes.failuresToDown') ?? 2,
    successesToHealthy:
      config.getOptionalNumber('probes.successesToHealthy') ?? 3,
    historyHours: config.getOptionalNumber('probes.historyHours') ?? 24,
  };
  if (probes.timeoutMs >= probes.intervalMs) {
    throw new InputError(
      `regions.probes.timeout (${probes.timeoutMs} ms) must be shorter than the interval (${probes.intervalMs} ms)`,
    );
  }
  if (!(probes.failuresToDown >= 1) || !(probes.successesToHealthy >= 1)) {
    throw new InputError(
      `regions.probes: failuresToDown (${probes.failuresToDown}) and successesToHealthy (${probes.successesToHealthy}) must be at least 1`,
    );
  }

  const apiServicesConfig = config.getOptionalConfig('apiServices');
  const apiServices: Record<string, string> = apiServicesConfig
    ? Object.fromEntries(
        apiServicesConfig.keys().map(k => [k, apiServicesConfig.getString(k)]),
      )
    : {
        web: 'api-gateway',
        api: 'api-gateway',
        auth: 'auth-service',
        graphql: 'graphql-service',
      };

  return {
    regions,
    rolloutOrder,
    nginx: {
      configPath: config.getString('nginx.configPath'),
      variable: config.getOptionalString('nginx.variable') ?? 'closest_region',
      reloadIntervalMs: durationMs(config, 'nginx.reloadInterval', 10_000),
    },
    probes,
    entryServices: config.getOptionalStringArray('entryServices') ?? [
      'api-gateway',
      'graphql-service',
    ],
    apiServices,
    simulation: {
      enabled: config.getOptionalBoolean('simulation.enabled') ?? false,
    },
  };
}
