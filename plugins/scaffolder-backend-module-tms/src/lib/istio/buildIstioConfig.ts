import { InputError } from '@backstage/errors';
import { GATEWAY_HOSTS } from '../tmsPlatform';

/**
 * What the Istio configuration of one TMS service is made from.
 *
 * @internal
 */
export type IstioConfigOptions = {
  service: string;
  namespace: string;
  /** The container port the service listens on. */
  port: number;
  /** Public hosts of the shared gateway; empty for a mesh-only service. */
  hosts: string[];
  /** The shared gateway as `namespace/name`. */
  gateway: string;
  pathPrefix: string;
  /** Service accounts allowed to call: `name` or `namespace/name`. */
  callers: string[];
  loadBalancer: 'LEAST_CONN' | 'ROUND_ROBIN';
  weights: { blue: number; green: number };
  timeout: string;
  retries: { attempts: number; perTryTimeout: string; backoff: string };
  connectionPool: {
    maxConnections: number;
    http1MaxPendingRequests: number;
    http2MaxRequests: number;
    maxRequestsPerConnection: number;
  };
  outlierDetection: {
    consecutive5xxErrors: number;
    interval: string;
    baseEjectionTime: string;
    maxEjectionPercent: number;
  };
};

/**
 * The traffic settings a TMS service gets unless it asks otherwise: the
 * defaults of tms:istio:generate and the settings of the eleven services in
 * deploy/platform/.
 *
 * @internal
 */
export const ISTIO_TRAFFIC_DEFAULTS: Pick<
  IstioConfigOptions,
  'loadBalancer' | 'timeout' | 'retries' | 'connectionPool' | 'outlierDetection'
> = {
  loadBalancer: 'LEAST_CONN',
  timeout: '10s',
  retries: { attempts: 3, perTryTimeout: '2s', backoff: '25ms' },
  connectionPool: {
    maxConnections: 100,
    http1MaxPendingRequests: 50,
    http2MaxRequests: 200,
    maxRequestsPerConnection: 0,
  },
  outlierDetection: {
    consecutive5xxErrors: 5,
    interval: '10s',
    baseEjectionTime: '30s',
    maxEjectionPercent: 50,
  },
};

/** @internal */
export type IstioConfig = {
  virtualService: object;
  destinationRule: object;
  peerAuthentication: object;
  authorizationPolicy: object;
};

const COLORS = ['blue', 'green'] as const;

function checkOptions(options: IstioConfigOptions) {
  const unknownHost = options.hosts.find(
    host => !(GATEWAY_HOSTS as readonly string[]).includes(host),
  );
  if (unknownHost) {
    throw new InputError(
      `Host '${unknownHost}' is not served by the shared gateway; use one of ${GATEWAY_HOSTS.join(
        ', ',
      )}`,
    );
  }

  const total = options.weights.blue + options.weights.green;
  if (total !== 100) {
    throw new InputError(
      `Blue and green weights must add up to 100, got ${options.weights.blue} + ${options.weights.green} = ${total}`,
    );
  }

  if (options.callers.length === 0) {
    // An ALLOW policy without callers would lock every caller out.
    throw new InputError(
      `Service '${options.service}' needs at least one allowed caller`,
    );
  }

  if (!/^[a-z0-9-]+\/[a-z0-9-]+$/.test(options.gateway)) {
    throw new InputError(
      `Gateway '${options.gateway}' must be written as namespace/name`,
    );
  }
}

/** The SPIFFE principal Istio gives a workload's service account. */
function principal(caller: string, namespace: string): string {
  const [callerNamespace, account] = caller.includes('/')
    ? caller.split('/')
    : [namespace, caller];
  return `cluster.local/ns/${callerNamespace}/sa/${account}`;
}

function route(options: IstioConfigOptions, host: string) {
  return {
    route: COLORS.map(color => ({
      destination: { host, subset: color, port: { number: options.port } },
      weight: options.weights[color],
    })),
    timeout: options.timeout,
    retries: {
      attempts: options.retries.attempts,
      perTryTimeout: options.retries.perTryTimeout,
      backoff: options.retries.backoff,
      retryOn: 'connect-failure,refused-stream,unavailable,503',
    },
  };
}

function buildVirtualService(options: IstioConfigOptions, host: string) {
  const { service, namespace, hosts, gateway, pathPrefix } = options;

  // One VirtualService serves both the public hosts (through the gateway)
  // and callers inside the mesh, so the two can never drift apart.
  const publicRoutes = hosts.length
    ? [
        {
          name: 'public',
          match: [{ uri: { prefix: pathPrefix }, gateways: [gateway] }],
          ...route(options, host),
        },
      ]
    : [];

  return {
    apiVersion: 'networking.istio.io/v1',
    kind: 'VirtualService',
    metadata: { name: service, namespace },
    spec: {
      hosts: [...hosts, host],
      gateways: hosts.length ? [gateway, 'mesh'] : ['mesh'],
      http: [
        ...publicRoutes,
        {
          name: 'mesh',
          match: [{ gateways: ['mesh'] }],
          ...route(options, host),
        },
      ],
    },
  };
}

function buildDestinationRule(options: IstioConfigOptions, host: string) {
  const { service, namespace, connectionPool, outlierDetection } = options;

  return {
    apiVersion: 'networking.istio.io/v1',
    kind: 'DestinationRule',
    metadata: { name: service, namespace },
    spec: {
      host,
      trafficPolicy: {
        loadBalancer: { simple: options.loadBalancer },
        connectionPool: {
          tcp: { maxConnections: connectionPool.maxConnections },
          http: {
            http1MaxPendingRequests: connectionPool.http1MaxPendingRequests,
            http2MaxRequests: connectionPool.http2MaxRequests,
            maxRequestsPerConnection: connectionPool.maxRequestsPerConnection,
          },
        },
        outlierDetection,
        tls: { mode: 'ISTIO_MUTUAL' },
      },
      subsets: COLORS.map(color => ({
        name: color,
        labels: { version: color },
      })),
    },
  };
}

/**
 * Builds the VirtualService, DestinationRule, PeerAuthentication and
 * AuthorizationPolicy of one TMS service.
 *
 * @internal
 */
export function buildIstioConfig(options: IstioConfigOptions): IstioConfig {
  checkOptions(options);

  const { service, namespace, port, callers } = options;
  const host = `${service}.${namespace}.svc.cluster.local`;
  const selector = { matchLabels: { app: service } };

  return {
    virtualService: buildVirtualService(options, host),
    destinationRule: buildDestinationRule(options, host),
    peerAuthentication: {
      apiVersion: 'security.istio.io/v1',
      kind: 'PeerAuthentication',
      metadata: { name: service, namespace },
      spec: {
        selector,
        mtls: { mode: 'STRICT' },
        portLevelMtls: { [String(port)]: { mode: 'STRICT' } },
      },
    },
    authorizationPolicy: {
      apiVersion: 'security.istio.io/v1',
      kind: 'AuthorizationPolicy',
      metadata: { name: service, namespace },
      spec: {
        selector,
        action: 'ALLOW',
        rules: [
          {
            from: [
              {
                source: {
                  principals: callers.map(c => principal(c, namespace)),
                },
              },
            ],
          },
        ],
      },
    },
  };
}
