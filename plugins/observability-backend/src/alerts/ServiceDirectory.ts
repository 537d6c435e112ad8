import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';

const CACHE_MS = 5 * 60_000;

/** After a failed lookup, SLOs wait this long before asking again. */
const RETRY_MS = 60_000;

/** What the catalog says about the Component of a service. */
export interface ServiceDirectory {
  /** The Component's annotations; empty when it is unknown. */
  annotations(service: string): Promise<Record<string, string>>;
  /** The owner's entity ref; undefined when the Component has none. */
  owner(service: string): Promise<string | undefined>;
}

interface Entry {
  readAtMs: number;
  annotations: Record<string, string>;
  owner?: string;
}

/**
 * Looks services up as `component:default/<service>` in the catalog, with
 * the plugin's own credentials, and keeps answers for five minutes.
 */
export class CatalogServiceDirectory implements ServiceDirectory {
  private readonly cache = new Map<string, Entry>();
  private readonly failedAtMs = new Map<string, number>();

  constructor(
    private readonly catalog: CatalogService,
    private readonly auth: AuthService,
    private readonly logger: LoggerService,
  ) {}

  async annotations(service: string): Promise<Record<string, string>> {
    const fallback = this.cache.get(service)?.annotations ?? {};
    if (Date.now() - (this.failedAtMs.get(service) ?? 0) < RETRY_MS) {
      return fallback;
    }
    try {
      return (await this.lookup(service)).annotations;
    } catch (error) {
      // SLOs keep what they had while the catalog cannot be asked, and the
      // evaluation, which runs every second, does not ask it every time.
      this.failedAtMs.set(service, Date.now());
      this.logger.warn('Could not read SLO annotations from the catalog', {
        service,
        error: String(error),
      });
      return fallback;
    }
  }

  async owner(service: string): Promise<string | undefined> {
    return (await this.lookup(service)).owner;
  }

  private async lookup(service: string): Promise<Entry> {
    const cached = this.cache.get(service);
    if (cached && Date.now() - cached.readAtMs < CACHE_MS) {
      return cached;
    }

    const entity = await this.catalog.getEntityByRef(
      { kind: 'component', namespace: 'default', name: service },
      { credentials: await this.auth.getOwnServiceCredentials() },
    );
    const ownerText = entity?.spec?.owner;
    const entry: Entry = {
      readAtMs: Date.now(),
      annotations: entity?.metadata.annotations ?? {},
      owner:
        typeof ownerText === 'string'
          ? stringifyEntityRef(
              parseEntityRef(ownerText, {
                defaultKind: 'group',
                defaultNamespace: entity?.metadata.namespace ?? 'default',
              }),
            )
          : undefined,
    };
    this.cache.set(service, entry);
    return entry;
  }
}
