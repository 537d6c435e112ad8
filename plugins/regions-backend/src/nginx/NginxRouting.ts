import { InputError } from '@backstage/errors';
import fs from 'node:fs';
import { formatAddress, parseAddress } from './addresses';
import { GeoTable, GeoWarning } from './GeoTable';
import { MapTable } from './MapTable';
import {
  findDirectives,
  NginxDirective,
  ParseOptions,
  readNginxConfigFile,
} from './parseNginxConfig';

/** A `limit_req_zone`: a shared rate limit. */
export interface RateLimitZone {
  zone: string;
  key: string;
  /** Requests per second the zone lets through (r/m converted). */
  ratePerSecond: number;
  /** The rate as written, "100r/s". */
  rate: string;
  file: string;
  line: number;
}

/** Where a zone is applied: the server names and location of a `limit_req`. */
export interface RateLimitUse {
  zone: string;
  serverNames: string[];
  location?: string;
  burst: number;
  nodelay: boolean;
  /** The status nginx answers rejected requests with (limit_req_status). */
  status: number;
}

export interface UpstreamServer {
  address: string;
  backup: boolean;
}

export interface Upstream {
  name: string;
  servers: UpstreamServer[];
}

/** What a routing variable answers for one request. */
export interface RoutingAnswer {
  value: string;
  /** The geo network or map key that matched; undefined for the default. */
  matched?: string;
  /** The client address used, after X-Forwarded-For for trusted proxies. */
  clientAddress?: string;
}

/** Variables whose value is the client address as text. */
const ADDRESS_VARIABLES = new Set(['remote_addr', 'realip_remote_addr']);

function parseRate(text: string, where: string): number {
  const match = /^rate=([0-9]+)r\/(s|m)$/.exec(text);
  if (!match) {
    throw new InputError(`${where}: invalid limit_req_zone rate "${text}"`);
  }
  return Number(match[1]) / (match[2] === 'm' ? 60 : 1);
}

/**
 * What the global load balancer's nginx configuration says about routing:
 * its `geo` blocks and address `map`s, its `limit_req` zones and where
 * they apply, and its upstreams. Built from the same file nginx loads.
 */
export class NginxRouting {
  readonly file: string;
  readonly geos: ReadonlyMap<string, GeoTable>;
  readonly maps: ReadonlyMap<string, MapTable>;
  readonly zones: readonly RateLimitZone[];
  readonly rateLimits: readonly RateLimitUse[];
  readonly upstreams: ReadonlyMap<string, Upstream>;

  static fromFile(file: string, options: ParseOptions = {}): NginxRouting {
    const files: string[] = [];
    const read =
      options.readFile ?? ((name: string) => fs.readFileSync(name, 'utf8'));
    const routing = new NginxRouting(
      file,
      readNginxConfigFile(file, {
        ...options,
        readFile: name => {
          files.push(name);
          return read(name);
        },
      }),
    );
    routing.sourceFiles = files;
    return routing;
  }

  /** Every file the configuration was read from, main file first. */
  sourceFiles: readonly string[] = [];

  static fromDirectives(file: string, directives: NginxDirective[]) {
    return new NginxRouting(file, directives);
  }

  private constructor(file: string, directives: NginxDirective[]) {
    this.file = file;

    const geos = new Map<string, GeoTable>();
    for (const directive of findDirectives(directives, 'geo')) {
      const table = GeoTable.fromDirective(directive);
      if (geos.has(table.variable)) {
        throw new InputError(
          `${directive.file}:${directive.line}: duplicate geo variable $${table.variable}`,
        );
      }
      geos.set(table.variable, table);
    }
    this.geos = geos;

    const maps = new Map<string, MapTable>();
    for (const directive of findDirectives(directives, 'map')) {
      // Only maps on the client address route clients; others (on $args,
      // $host, ...) are none of this reader's business.
      if (!ADDRESS_VARIABLES.has(directive.args[0]?.replace(/^\$/, ''))) {
        continue;
      }
      const table = MapTable.fromDirective(directive);
      maps.set(table.variable, table);
    }
    this.maps = maps;

    this.zones = findDirectives(directives, 'limit_req_zone').map(d => {
      const where = `${d.file}:${d.line}`;
      const zoneArg = d.args.find(a => a.startsWith('zone='));
      const rateArg = d.args.find(a => a.startsWith('rate='));
      if (!zoneArg || !rateArg) {
        throw new InputError(
          `${where}: limit_req_zone needs zone= and rate=, got ${d.args.join(
            ' ',
          )}`,
        );
      }
      return {
        zone: zoneArg.slice('zone='.length).split(':')[0],
        key: d.args[0],
        ratePerSecond: parseRate(rateArg, where),
        rate: rateArg.slice('rate='.length),
        file: d.file,
        line: d.line,
      };
    });
    this.rateLimits = collectRateLimits(directives);

    const upstreams = new Map<string, Upstream>();
    for (const d of findDirectives(directives, 'upstream')) {
      upstreams.set(d.args[0], {
        name: d.args[0],
        servers: (d.block ?? [])
          .filter(s => s.name === 'server')
          .map(s => ({
            address: s.args[0],
            backup: s.args.includes('backup'),
          })),
      });
    }
    this.upstreams = upstreams;
  }

  /** Warnings nginx would print for the geo blocks (and still load). */
  get warnings(): GeoWarning[] {
    return [...this.geos.values()].flatMap(g => g.warnings);
  }

  /** Whether a variable is set by a geo block or an address map. */
  has(variable: string) {
    return this.geos.has(variable) || this.maps.has(variable);
  }

  /**
   * The value of a routing variable for a request from `remote` with an
   * optional X-Forwarded-For header, as nginx would compute it.
   */
  lookup(
    variable: string,
    request: {
      remote: string;
      xForwardedFor?: string;
      args?: Record<string, string>;
    },
  ): RoutingAnswer {
    const geo = this.geos.get(variable);
    if (geo) {
      const sourceValue = geoSourceValue(geo.source, request);
      const answer = geo.lookupRequest({
        remote: request.remote,
        xForwardedFor: request.xForwardedFor,
        sourceValue,
      });
      // Formatting an address costs more than the lookup: only a
      // forwarded one needs it, the peer's is the text as given.
      let clientAddress: string | undefined;
      if (answer.address && answer.forwarded) {
        clientAddress = formatAddress(answer.address);
      } else if (answer.address) {
        clientAddress = geo.source ? sourceValue : request.remote;
      }
      return { value: answer.value, matched: answer.network, clientAddress };
    }

    const map = this.maps.get(variable);
    if (map) {
      const address = parseAddress(request.remote);
      const text = address ? formatAddress(address) : request.remote;
      const answer = map.lookup(text);
      return { value: answer.value, matched: answer.key, clientAddress: text };
    }

    throw new InputError(
      `nginx configuration ${this.file} has no geo block or address map for $${variable}`,
    );
  }
}

/** The text of the variable a geo block reads its address from. */
function geoSourceValue(
  source: string | undefined,
  request: { remote: string; args?: Record<string, string> },
): string | undefined {
  if (source === undefined) return undefined;
  if (ADDRESS_VARIABLES.has(source)) return request.remote;
  if (source.startsWith('arg_')) return request.args?.[source.slice(4)];
  throw new InputError(
    `geo reads its address from $${source}, which this reader cannot supply`,
  );
}

function collectRateLimits(directives: NginxDirective[]): RateLimitUse[] {
  const uses: RateLimitUse[] = [];

  const walk = (
    list: NginxDirective[],
    context: { serverNames: string[]; location?: string; status: number },
  ) => {
    const statusDirective = list.find(d => d.name === 'limit_req_status');
    const status = statusDirective
      ? Number(statusDirective.args[0])
      : context.status;

    for (const d of list) {
      if (d.name === 'limit_req') {
        const zone = d.args.find(a => a.startsWith('zone='));
        const burst = d.args.find(a => a.startsWith('burst='));
        if (!zone) {
          throw new InputError(`${d.file}:${d.line}: limit_req without zone=`);
        }
        uses.push({
          zone: zone.slice('zone='.length),
          serverNames: context.serverNames,
          location: context.location,
          burst: burst ? Number(burst.slice('burst='.length)) : 0,
          nodelay: d.args.includes('nodelay'),
          status,
        });
      }
    }
    for (const d of list) {
      if (!d.block) continue;
      if (d.name === 'server') {
        const names = d.block
          .filter(s => s.name === 'server_name')
          .flatMap(s => s.args);
        walk(d.block, { serverNames: names, status });
      } else if (d.name === 'location') {
        walk(d.block, { ...context, location: d.args.join(' '), status });
      } else if (d.name === 'http') {
        walk(d.block, { ...context, status });
      }
    }
  };

  // nginx answers rejected requests with 503 unless limit_req_status says otherwise.
  walk(directives, { serverNames: [], status: 503 });
  return uses;
}
