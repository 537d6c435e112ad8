import { apiGroup, ManifestResource } from './types';

/** A host that a Service or a ServiceEntry puts in the mesh. */
type RegistryHost = {
  host: string;
  namespace: string;
  exportTo: string[];
  /** Empty when any port is accepted (a ServiceEntry without ports). */
  ports: number[];
};

/**
 * The hosts that the Services and ServiceEntries of the analysed files
 * register, with the namespaces they are exported to.
 *
 * @internal
 */
export class ServiceRegistry {
  readonly #hosts: RegistryHost[];

  static fromResources(resources: ManifestResource[]): ServiceRegistry {
    const hosts = resources.flatMap((resource): RegistryHost[] => {
      const { spec, metadata } = resource.object;
      if (resource.apiVersion === 'v1' && resource.kind === 'Service') {
        const exportTo =
          metadata?.annotations?.['networking.istio.io/exportTo'];
        return [
          {
            host: `${resource.name}.${resource.namespace}.svc.cluster.local`,
            namespace: resource.namespace,
            exportTo: exportTo ? String(exportTo).split(',') : ['*'],
            ports: (spec?.ports ?? []).map((p: { port: number }) => p.port),
          },
        ];
      }
      if (
        apiGroup(resource.apiVersion) === 'networking.istio.io' &&
        resource.kind === 'ServiceEntry'
      ) {
        return (spec?.hosts ?? []).map((host: string) => ({
          host,
          namespace: resource.namespace,
          exportTo: spec?.exportTo ?? ['*'],
          ports: (spec?.ports ?? []).map((p: { number: number }) => p.number),
        }));
      }
      return [];
    });
    return new ServiceRegistry(hosts);
  }

  private constructor(hosts: RegistryHost[]) {
    this.#hosts = hosts;
  }

  /** Whether the files register any host; if not, nothing can be judged. */
  get isEmpty(): boolean {
    return this.#hosts.length === 0;
  }

  /**
   * The registered hosts that a fully qualified host (or a wildcard such as
   * `*.eu.example.com`) means, as seen from a namespace.
   */
  lookup(host: string, namespace: string): RegistryHost[] {
    return this.#hosts.filter(
      entry =>
        covers(entry.host, host) &&
        (entry.exportTo.includes('*') ||
          entry.exportTo.includes(namespace) ||
          (entry.exportTo.includes('.') && entry.namespace === namespace)),
    );
  }
}

/** Whether a registered host, possibly a wildcard, covers a wanted host. */
function covers(registered: string, wanted: string): boolean {
  if (registered === wanted || registered === '*') {
    return true;
  }
  if (!registered.startsWith('*.')) {
    return false;
  }
  const suffix = registered.slice(1);
  return wanted.endsWith(suffix) && wanted.length > suffix.length;
}
