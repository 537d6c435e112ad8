import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';

const CACHE_MS = 5 * 60_000;

/** After a failed read, annotations wait this long before asking again. */
const RETRY_MS = 60_000;

/** What the catalog says about the Components of services. */
export interface ServiceDirectory {
  /**
   * The Components' annotations as last read, by service; a service not
   * read yet has none. Never waits for the catalog: the evaluation that
   * asks runs every second.
   */
  annotations(services: string[]): Map<string, Record<string, string>>;
  /** The owner's entity ref; undefined when the Component has none. */
  owner(service: string): Promise<string | undefined>;
}

function componentRef(service: string) {
  return `component:default/${service}`;
}

/**
 * Looks services up as `component:default/<service>` in the catalog with
 * the plugin's own credentials. Annotations of every service seen are read
 * in one request in the background every five minutes, and at once for a
 * service not seen before.
 */
export class CatalogServiceDirectory implements ServiceDirectory {
  private annotationsByService = new Map<string, Record<string, string>>();
  private readAtMs = 0;
  private failedAtMs = 0;
  private reading?: Promise<void>;

  constructor(
    private readonly catalog: CatalogService,
    private readonly auth: AuthService,
    private readonly logger: LoggerService,
  ) {}

  annotations(services: string[]): Map<string, Record<string, string>> {
    const now = Date.now();
    const unseen = services.some(s => !this.annotationsByService.has(s));
    const due = unseen || now - this.readAtMs >= CACHE_MS;
    if (due && !this.reading && now - this.failedAtMs >= RETRY_MS) {
      this.reading = this.readAll(services).finally(() => {
        this.reading = undefined;
      });
    }
    return this.annotationsByService;
  }

  async owner(service: string): Promise<string | undefined> {
    const entity = await this.catalog.getEntityByRef(componentRef(service), {
      credentials: await this.auth.getOwnServiceCredentials(),
    });
    const owner = entity?.spec?.owner;
    if (typeof owner !== 'string') {
      return undefined;
    }
    return stringifyEntityRef(
      parseEntityRef(owner, {
        defaultKind: 'group',
        defaultNamespace: entity!.metadata.namespace ?? 'default',
      }),
    );
  }

  /** Waits for a read in progress; for tests and shutdown. */
  async settled() {
    await this.reading;
  }

  private async readAll(services: string[]) {
    const names = [
      ...new Set([...this.annotationsByService.keys(), ...services]),
    ];
    try {
      const { items } = await this.catalog.getEntitiesByRefs(
        {
          entityRefs: names.map(componentRef),
          fields: ['metadata.annotations'],
        },
        { credentials: await this.auth.getOwnServiceCredentials() },
      );
      const next = new Map<string, Record<string, string>>();
      names.forEach((name, i) =>
        next.set(name, items[i]?.metadata.annotations ?? {}),
      );
      this.annotationsByService = next;
      this.readAtMs = Date.now();
    } catch (error) {
      // SLOs keep what they had; the catalog is asked again in a minute.
      this.failedAtMs = Date.now();
      this.logger.warn('Could not read SLO annotations from the catalog', {
        services: names.length,
        error: String(error),
      });
    }
  }
}
