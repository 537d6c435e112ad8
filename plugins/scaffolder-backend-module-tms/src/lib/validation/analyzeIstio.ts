import { analyzeRouteMatches } from './analyzeRouteMatches';
import { ServiceRegistry } from './serviceRegistry';
import { apiGroup, locate, ManifestFinding, ManifestResource } from './types';

/**
 * Where resources outside the analysed files come from.
 *
 * @internal
 */
export type IstioAnalysisOptions = {
  /** Gateways that exist in the cluster, as `namespace/name`. */
  knownGateways: string[];
  /** Istio's root namespace, whose DestinationRules apply mesh-wide. */
  rootNamespace: string;
};

type Reference = {
  host: string;
  subset?: string;
  port?: { number?: number };
  field: string;
  /** How Istio's analyzer names the reference in IST0101. */
  refType: 'host+subset' | 'mirror+subset';
};

type SubsetSource = {
  host: string;
  namespace: string;
  exportTo: string[];
  subsets: Set<unknown>;
};

const IST0101 = 'IST0101';

function isIstioNetworking(resource: ManifestResource, kind: string) {
  return (
    apiGroup(resource.apiVersion) === 'networking.istio.io' &&
    resource.kind === kind
  );
}

/**
 * A short host name means a service in the referring object's namespace;
 * anything with a dot is taken as written, as Istio does.
 */
function fullyQualified(host: string, namespace: string): string {
  return host.includes('.') ? host : `${host}.${namespace}.svc.cluster.local`;
}

function subsetSources(resources: ManifestResource[]): SubsetSource[] {
  return resources
    .filter(resource => isIstioNetworking(resource, 'DestinationRule'))
    .map(resource => ({
      host: fullyQualified(
        String(resource.object.spec?.host),
        resource.namespace,
      ),
      namespace: resource.namespace,
      exportTo: resource.object.spec?.exportTo ?? ['*'],
      subsets: new Set(
        (resource.object.spec?.subsets ?? []).map(
          (subset: { name?: string }) => subset.name,
        ),
      ),
    }));
}

function isVisible(
  source: SubsetSource,
  namespace: string,
  options: IstioAnalysisOptions,
) {
  if (
    source.namespace === namespace ||
    source.namespace === options.rootNamespace
  ) {
    return true;
  }
  return source.exportTo.includes('*') || source.exportTo.includes(namespace);
}

function destinationReferences(spec: Record<string, any>): Reference[] {
  const references: Reference[] = [];

  for (const protocol of ['http', 'tcp', 'tls']) {
    (spec[protocol] ?? []).forEach((rule: any, i: number) => {
      (rule?.route ?? []).forEach((target: any, j: number) => {
        references.push({
          ...target?.destination,
          field: `spec.${protocol}[${i}].route[${j}].destination`,
          refType: 'host+subset',
        });
      });
      if (rule?.mirror) {
        references.push({
          ...rule.mirror,
          field: `spec.${protocol}[${i}].mirror`,
          refType: 'mirror+subset',
        });
      }
      (rule?.mirrors ?? []).forEach((mirror: any, j: number) => {
        references.push({
          ...mirror?.destination,
          field: `spec.${protocol}[${i}].mirrors[${j}].destination`,
          refType: 'mirror+subset',
        });
      });
    });
  }
  return references;
}

function gatewayReferences(spec: Record<string, any>) {
  const references = (spec.gateways ?? []).map(
    (gateway: string, i: number) => ({ gateway, field: `spec.gateways[${i}]` }),
  );
  (spec.http ?? []).forEach((rule: any, i: number) => {
    (rule?.match ?? []).forEach((match: any, j: number) => {
      (match?.gateways ?? []).forEach((gateway: string, k: number) => {
        references.push({
          gateway,
          field: `spec.http[${i}].match[${j}].gateways[${k}]`,
        });
      });
    });
  });
  return references as Array<{ gateway: string; field: string }>;
}

function checkSubsets(
  virtualService: ManifestResource,
  sources: SubsetSource[],
  options: IstioAnalysisOptions,
): ManifestFinding[] {
  const { namespace } = virtualService;

  return destinationReferences(virtualService.object.spec ?? {})
    .filter(reference => reference.host && reference.subset)
    .filter(reference => {
      const host = fullyQualified(reference.host, namespace);
      return !sources.some(
        source =>
          source.host === host &&
          source.subsets.has(reference.subset) &&
          isVisible(source, namespace, options),
      );
    })
    .map(reference => ({
      ...locate(virtualService),
      field: `${reference.field}.subset`,
      code: IST0101,
      message: `Referenced ${reference.refType} in destinationrule not found: "${reference.host}+${reference.subset}"`,
    }));
}

function checkGateways(
  virtualService: ManifestResource,
  gateways: Set<string>,
): ManifestFinding[] {
  const { namespace } = virtualService;

  return gatewayReferences(virtualService.object.spec ?? {})
    .filter(({ gateway }) => gateway !== 'mesh')
    .filter(({ gateway }) => {
      const qualified = gateway.includes('/')
        ? gateway
        : `${namespace}/${gateway}`;
      return !gateways.has(qualified);
    })
    .map(({ gateway, field }) => ({
      ...locate(virtualService),
      field,
      code: IST0101,
      message: `Referenced gateway not found: "${gateway}"`,
    }));
}

/**
 * The namespaces a VirtualService is used from: those it is exported to,
 * its own for `.` and `*`.
 */
function exportedNamespaces(virtualService: ManifestResource): string[] {
  const exportTo: string[] = virtualService.object.spec?.exportTo ?? ['.'];
  return [
    ...new Set(
      exportTo.map(ns =>
        ns === '.' || ns === '*' ? virtualService.namespace : ns,
      ),
    ),
  ];
}

type HostProblem = {
  code: 'IST0101' | 'IST0112';
  field: 'host' | 'port';
  message: string;
};

/**
 * What is wrong with a destination's host and port, if anything: no
 * registered host (IST0101), a port the host does not expose (IST0101), or
 * no port for a host that exposes several (IST0112).
 */
function hostProblem(
  entries: Array<{ ports: number[] }>,
  host: string,
  port: number | undefined,
): HostProblem | undefined {
  if (entries.length === 0) {
    return {
      code: IST0101,
      field: 'host',
      message: `Referenced host not found: "${host}"`,
    };
  }

  if (port === undefined) {
    const { ports } = entries[0];
    return ports.length > 1
      ? {
          code: 'IST0112',
          field: 'port',
          message: `This VirtualService routes to a service "${host}" that exposes multiple ports [${ports.join(
            ' ',
          )}]. Specifying a port in the destination is required to disambiguate.`,
        }
      : undefined;
  }

  const portKnown = entries.some(
    entry => entry.ports.length === 0 || entry.ports.includes(port),
  );
  return portKnown
    ? undefined
    : {
        code: IST0101,
        field: 'host',
        message: `Referenced host:port not found: "${host}:${port}"`,
      };
}

function checkHosts(
  virtualService: ManifestResource,
  registry: ServiceRegistry,
): ManifestFinding[] {
  const findings: ManifestFinding[] = [];

  for (const reference of destinationReferences(
    virtualService.object.spec ?? {},
  )) {
    if (!reference.host) {
      continue;
    }
    const host = fullyQualified(reference.host, virtualService.namespace);
    const port = reference.port?.number;

    for (const namespace of exportedNamespaces(virtualService)) {
      const problem = hostProblem(
        registry.lookup(host, namespace),
        reference.host,
        port,
      );
      if (problem) {
        findings.push({
          ...locate(virtualService),
          field: `${reference.field}.${problem.field}`,
          code: problem.code,
          message: problem.message,
        });
        break;
      }
    }
  }
  return findings;
}

const TLS_MODES_WITH_SERVER_CERTIFICATE = ['SIMPLE', 'MUTUAL'];

/**
 * IST0128 and IST0129: a DestinationRule originating TLS (SIMPLE or
 * MUTUAL) without caCertificates, a credential that could carry them, or
 * an explicit insecureSkipVerify, never verifies the server it talks to.
 */
function checkServerVerification(rule: ManifestResource): ManifestFinding[] {
  const spec = rule.object.spec ?? {};
  const unverified = (tls: Record<string, any> | undefined) =>
    TLS_MODES_WITH_SERVER_CERTIFICATE.includes(tls?.mode) &&
    !tls?.caCertificates &&
    !tls?.credentialName &&
    tls?.insecureSkipVerify !== true;
  const findings: ManifestFinding[] = [];
  const policy = spec.trafficPolicy ?? {};
  const intro = `DestinationRule ${rule.name} in namespace ${rule.namespace} has TLS mode set to`;
  const ending =
    'but no caCertificates are set to validate server identity for host';

  if (unverified(policy.tls)) {
    findings.push({
      ...locate(rule),
      field: 'spec.trafficPolicy.tls',
      code: 'IST0128',
      level: 'Warning',
      message: `${intro} ${policy.tls.mode} ${ending}: ${spec.host}`,
    });
  }
  (policy.portLevelSettings ?? []).forEach((settings: any, i: number) => {
    if (unverified(settings?.tls)) {
      findings.push({
        ...locate(rule),
        field: `spec.trafficPolicy.portLevelSettings[${i}].tls`,
        code: 'IST0129',
        level: 'Warning',
        message: `${intro} ${settings.tls.mode} ${ending}: ${spec.host} at port ${settings.port?.number}`,
      });
    }
  });
  return findings;
}

/**
 * The checks `istioctl analyze` makes for VirtualServices and
 * DestinationRules: every subset a route or mirror names is defined by a
 * DestinationRule the VirtualService can see, every gateway it binds to
 * exists, and, when the files register services at all, every destination
 * host and port is one that a Service or ServiceEntry exports to where the
 * VirtualService is used, with a port wherever the host has several
 * (IST0101, IST0112); no rule or match is shadowed by an earlier one
 * (IST0130, IST0131); TLS origination verifies the server (IST0128,
 * IST0129).
 *
 * @internal
 */
export function analyzeIstio(
  resources: ManifestResource[],
  options: IstioAnalysisOptions,
): ManifestFinding[] {
  const sources = subsetSources(resources);
  const gateways = new Set([
    ...options.knownGateways,
    ...resources
      .filter(resource => isIstioNetworking(resource, 'Gateway'))
      .map(resource => `${resource.namespace}/${resource.name}`),
  ]);

  const registry = ServiceRegistry.fromResources(resources);

  return [
    ...resources
      .filter(resource => isIstioNetworking(resource, 'VirtualService'))
      .flatMap(virtualService => [
        ...(registry.isEmpty ? [] : checkHosts(virtualService, registry)),
        ...checkSubsets(virtualService, sources, options),
        ...checkGateways(virtualService, gateways),
        ...analyzeRouteMatches(virtualService),
      ]),
    ...resources
      .filter(resource => isIstioNetworking(resource, 'DestinationRule'))
      .flatMap(checkServerVerification),
  ];
}
