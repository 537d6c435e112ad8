import { LoggerService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import fs from 'node:fs';
import { RegionDefinition } from '../config';
import { parseAddress } from '../nginx/addresses';
import { NginxRouting } from '../nginx/NginxRouting';
import { HealthMonitor, servingRegion } from './HealthMonitor';

/** Where one client goes, by nginx's config and the regions' health. */
export interface RouteDecision {
  ip: string;
  /** The address routing used: the client behind trusted proxies. */
  clientAddress?: string;
  /** The geo network (or map key) that matched; absent for the default. */
  network?: string;
  /** The region nginx's config names for the client. */
  nginxRegion: string;
  /** The region that serves the client now; null when none can. */
  region: string | null;
  failedOver: boolean;
  reason: string;
}

/**
 * Answers which region serves a client: nginx's geo answer from the load
 * balancer's configuration, then the regions' health (a down region's
 * clients go to its failover region). The configuration is re-read on an
 * interval; a reload swaps the whole table at once, so lookups never see
 * half a table, and a broken file keeps the last good one.
 */
export class RoutingService {
  private routing: NginxRouting;
  private readonly configPath: string;
  private readonly variable: string;
  private readonly regions: ReadonlyMap<string, RegionDefinition>;
  private readonly health: Pick<HealthMonitor, 'states'>;
  private readonly logger: LoggerService;
  private timer?: NodeJS.Timeout;
  private stamps: string;

  static create(options: {
    configPath: string;
    variable: string;
    regions: RegionDefinition[];
    health: Pick<HealthMonitor, 'states'>;
    logger: LoggerService;
  }) {
    const routing = NginxRouting.fromFile(options.configPath);
    if (!routing.has(options.variable)) {
      throw new InputError(
        `nginx configuration ${options.configPath} sets no $${options.variable} by geo or address map`,
      );
    }
    return new RoutingService(routing, options);
  }

  private constructor(
    routing: NginxRouting,
    options: {
      configPath: string;
      variable: string;
      regions: RegionDefinition[];
      health: Pick<HealthMonitor, 'states'>;
      logger: LoggerService;
    },
  ) {
    this.routing = routing;
    this.stamps = this.fileStamps(routing.sourceFiles);
    this.configPath = options.configPath;
    this.variable = options.variable;
    this.regions = new Map(options.regions.map(r => [r.id, r]));
    this.health = options.health;
    this.logger = options.logger;
    for (const warning of routing.warnings) {
      this.logger.warn('nginx geo warning', { ...warning });
    }
  }

  get nginx(): NginxRouting {
    return this.routing;
  }

  get routingVariable() {
    return this.variable;
  }

  /** When each file of the current configuration was last changed. */
  private fileStamps(files: readonly string[]): string {
    return files
      .map(file => {
        try {
          const stat = fs.statSync(file);
          return `${file}:${stat.mtimeMs}:${stat.size}`;
        } catch {
          return `${file}:missing`;
        }
      })
      .join('|');
  }

  /**
   * Re-reads the configuration if one of its files changed since it was
   * read: parsing 10,000 networks holds lookups for a moment, so an
   * unchanged file is not parsed again.
   */
  reloadIfChanged(): boolean {
    if (this.fileStamps(this.routing.sourceFiles) === this.stamps) {
      return false;
    }
    return this.reload();
  }

  /** Re-reads the nginx configuration; keeps the current one on error. */
  reload(): boolean {
    // Stamped before reading, so that a change during the read is seen
    // at the next check.
    const stamps = this.fileStamps(this.routing.sourceFiles);
    try {
      const next = NginxRouting.fromFile(this.configPath);
      if (!next.has(this.variable)) {
        throw new InputError(`no $${this.variable} in ${this.configPath}`);
      }
      this.routing = next;
      this.stamps = this.fileStamps(next.sourceFiles);
      return true;
    } catch (error) {
      // Not parsed again until the file changes once more.
      this.stamps = stamps;
      this.logger.error(
        'nginx configuration reload failed; keeping the last good one',
        {
          file: this.configPath,
          error: String(error),
        },
      );
      return false;
    }
  }

  startReloading(intervalMs: number) {
    this.timer = setInterval(() => this.reloadIfChanged(), intervalMs);
    this.timer.unref();
  }

  stopReloading() {
    if (this.timer) clearInterval(this.timer);
  }

  /** Routes many clients against one snapshot of health. */
  async routeMany(
    requests: Array<{ ip: string; xForwardedFor?: string }>,
  ): Promise<RouteDecision[]> {
    const states = await this.health.states();
    const isDown = (id: string) => states.get(id)?.state === 'down';
    const routing = this.routing;
    return requests.map(request => this.decide(routing, request, isDown));
  }

  async route(ip: string, xForwardedFor?: string): Promise<RouteDecision> {
    const [decision] = await this.routeMany([{ ip, xForwardedFor }]);
    return decision;
  }

  /** A decision with explicit down regions, for what-if questions. */
  decide(
    routing: NginxRouting,
    request: { ip: string; xForwardedFor?: string },
    isDown: (id: string) => boolean,
  ): RouteDecision {
    if (typeof request.ip !== 'string' || !parseAddress(request.ip)) {
      throw new InputError(`'${request.ip}' is not an IPv4 or IPv6 address`);
    }
    const answer = routing.lookup(this.variable, {
      remote: request.ip,
      xForwardedFor: request.xForwardedFor,
    });
    const base = {
      ip: request.ip,
      clientAddress: answer.clientAddress,
      network: answer.matched,
      nginxRegion: answer.value,
    };

    const region = this.regions.get(answer.value);
    if (!region) {
      return {
        ...base,
        region: null,
        failedOver: false,
        reason: `nginx answers '${answer.value}', which is not a configured region`,
      };
    }
    const serving = servingRegion(region, this.regions, isDown);
    if (serving === region.id) {
      return {
        ...base,
        region: serving,
        failedOver: false,
        reason: 'closest region',
      };
    }
    return {
      ...base,
      region: serving ?? null,
      failedOver: serving !== undefined,
      reason: serving
        ? `${region.id} is down; failover to ${serving}`
        : `${region.id} and every failover region are down`,
    };
  }
}
