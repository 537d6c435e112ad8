/*
 * Our geo and map answers against real nginx (Debian's nginx-light): nginx
 * runs on a loopback port with the same configuration files, answers each
 * request with the variables, and every answer must agree with ours.
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  fillTestConfig,
  nginxGeoDir,
  readCorpusYaml,
  repoRoot,
} from '../__testUtils__/corpus';
import {
  freePort,
  inParallel,
  makePrefix,
  prefixHttpDirectives,
  RunningNginx,
  startNginx,
} from '../__testUtils__/realNginx';
import {
  boundaryAddresses,
  randomIPv4,
  randomIPv6,
  randomMapped,
  seededRandom,
} from '../__testUtils__/sampleAddresses';
import { parseAddress } from './addresses';
import { NginxRouting } from './NginxRouting';
import { findDirectives, readNginxConfigFile } from './parseNginxConfig';

const deployDir = path.join(repoRoot, 'deploy/platform/nginx');
const seedMap = path.resolve(
  __dirname,
  '../../fixtures/nginx/seed-first-octet-map.conf',
);

jest.setTimeout(120_000);

interface Probe {
  remote?: string;
  xff?: string;
  ip?: string;
  path?: string;
}

function headersFor(probe: Probe): Record<string, string> {
  const headers: Record<string, string> = {};
  if (probe.remote) headers['X-Real-IP'] = probe.remote;
  if (probe.xff !== undefined) headers['X-Forwarded-For'] = probe.xff;
  return headers;
}

function urlFor(probe: Probe) {
  // nginx does not decode $arg_ip, so the address goes in as it is.
  const query = probe.ip === undefined ? '' : `?ip=${probe.ip}`;
  return `${probe.path ?? '/'}${query}`;
}

/** Wraps routing files in a server that answers the variable's value. */
function harnessConfig(
  prefix: string,
  port: number,
  include: string,
  variable: string,
) {
  return `
daemon off;
worker_processes 1;
error_log ${path.join(prefix, 'error.log')};
events { worker_connections 256; }
http {
  ${prefixHttpDirectives(prefix)}
  include ${include};
  server {
    listen 127.0.0.1:${port};
    # The test names the client address; nginx takes it from X-Real-IP
    # (realip), so geo sees it as the connection's address.
    set_real_ip_from 127.0.0.1;
    real_ip_header X-Real-IP;
    location / { return 200 "$${variable}"; }
  }
}`;
}

function mismatchReport(mismatches: string[], total: number) {
  return `${
    mismatches.length
  } of ${total} answers differ from nginx:\n${mismatches
    .slice(0, 20)
    .join('\n')}`;
}

/** Starts nginx with routing files included in the answering harness. */
async function startHarness(include: string, variable: string) {
  const prefix = makePrefix();
  const port = await freePort();
  const conf = path.join(prefix, 'harness.conf');
  fs.writeFileSync(conf, harnessConfig(prefix, port, include, variable));
  return startNginx({ prefix, conf, port });
}

/** Asks nginx and us for each probe's value; lists where they differ. */
async function differences(
  nginx: RunningNginx,
  routing: NginxRouting,
  variable: string,
  probes: Probe[],
): Promise<string[]> {
  const mismatches: string[] = [];
  await inParallel(probes, 16, async probe => {
    const theirs = await nginx.get(urlFor(probe), headersFor(probe));
    const ours = routing.lookup(variable, {
      remote: probe.remote!,
      xForwardedFor: probe.xff,
    });
    if (theirs.status !== 200 || theirs.body !== ours.value) {
      mismatches.push(
        `${JSON.stringify(probe)}: nginx ${theirs.status} "${
          theirs.body
        }", ours "${ours.value}"`,
      );
    }
  });
  return mismatches;
}

describe('the deploy geo config answers as nginx does', () => {
  let nginx: RunningNginx;
  const routing = NginxRouting.fromFile(path.join(deployDir, 'nginx.conf'));

  beforeAll(async () => {
    nginx = await startHarness(
      path.join(deployDir, 'geo.conf'),
      'closest_region',
    );
  });

  afterAll(async () => {
    await nginx?.stop();
  });

  it('for 10,000+ addresses: random IPv4 and IPv6, IPv4-mapped, every boundary, proxied', async () => {
    const random = seededRandom(6);
    const geo = routing.geos.get('closest_region')!;
    const probes: Probe[] = boundaryAddresses(
      geo.entries.map(e => e.network),
    ).map(remote => ({ remote }));
    for (let i = 0; i < 4500; i++) probes.push({ remote: randomIPv4(random) });
    for (let i = 0; i < 3000; i++) probes.push({ remote: randomIPv6(random) });
    for (let i = 0; i < 1000; i++)
      probes.push({ remote: randomMapped(random) });
    // Behind the CDN (198.51.100.0/24, trusted): the client comes from
    // X-Forwarded-For, skipping CDN addresses from the right.
    for (let i = 0; i < 1500; i++) {
      const chain = [randomIPv4(random), randomIPv6(random)];
      const hops = Math.floor(random() * 3);
      for (let h = 0; h < hops; h++)
        chain.push(`198.51.100.${Math.floor(random() * 256)}`);
      if (random() < 0.2) chain.push('not-an-address');
      probes.push({
        remote: `198.51.100.${Math.floor(random() * 256)}`,
        xff: chain
          .slice(Math.floor(random() * 2))
          .join(random() < 0.5 ? ', ' : ','),
      });
    }
    expect(probes.length).toBeGreaterThanOrEqual(10_000);

    expect(await differences(nginx, routing, 'closest_region', probes)).toEqual(
      [],
    );
  });
});

describe("the seed's first-octet map answers as nginx does", () => {
  let nginx: RunningNginx;
  const routing = NginxRouting.fromFile(seedMap);

  beforeAll(async () => {
    nginx = await startHarness(seedMap, 'closest_region');
  });

  afterAll(async () => {
    await nginx?.stop();
  });

  it('for 10,000+ addresses including both ends of every first octet', async () => {
    const random = seededRandom(63);
    const probes: Probe[] = [];
    for (let octet = 0; octet < 256; octet++) {
      probes.push(
        { remote: `${octet}.0.0.0` },
        { remote: `${octet}.255.255.255` },
      );
    }
    for (let i = 0; i < 8000; i++) probes.push({ remote: randomIPv4(random) });
    for (let i = 0; i < 1000; i++) probes.push({ remote: randomIPv6(random) });
    for (let i = 0; i < 500; i++) probes.push({ remote: randomMapped(random) });
    expect(probes.length).toBeGreaterThanOrEqual(10_000);

    expect(await differences(nginx, routing, 'closest_region', probes)).toEqual(
      [],
    );
  });
});

interface CorpusHarness {
  nginx: RunningNginx;
  routing: NginxRouting;
  /** Response header name (lower case) -> geo variable, per location. */
  headers: Record<string, Record<string, string>>;
}

/**
 * Runs one of nginx's own geo test configurations (from the corpus) with
 * its harness placeholders filled as nginx-tests fills them, plus realip so
 * that the test can name the client address.
 */
async function startCorpusConfig(name: string): Promise<CorpusHarness> {
  const dir = path.join(nginxGeoDir, 'nginx-tests-extracted');
  const expected = readCorpusYaml<{ included_files?: Record<string, string> }>(
    path.join(dir, `${name}.expected.yaml`),
  );
  const prefix = makePrefix();
  const port = await freePort();
  const secondPort = await freePort();
  const text = fillTestConfig(
    fs.readFileSync(path.join(dir, `${name}.nginx.conf`), 'utf8'),
    {
      globals: `error_log ${path.join(prefix, 'error.log')};`,
      http: `${prefixHttpDirectives(prefix)}
      set_real_ip_from 127.0.0.1; set_real_ip_from ::1; real_ip_header X-Real-IP;`,
      port,
    },
  ).replace(new RegExp(`:${port + 1}\\b`, 'g'), `:${secondPort}`);
  const conf = path.join(prefix, 'nginx.conf');
  fs.writeFileSync(conf, text);
  for (const [file, content] of Object.entries(expected.included_files ?? {})) {
    fs.writeFileSync(path.join(prefix, file), content);
  }
  // The configs serve static files and add the variables as headers.
  fs.mkdirSync(path.join(prefix, 'html'));
  fs.writeFileSync(path.join(prefix, 'html', 'index.html'), 'ok');
  fs.writeFileSync(path.join(prefix, 'html', '2'), 'ok');

  const directives = readNginxConfigFile(conf);
  const headers: Record<string, Record<string, string>> = {};
  for (const location of findDirectives(directives, 'location')) {
    const adds = (location.block ?? []).filter(d => d.name === 'add_header');
    const geoHeaders = adds.filter(d => d.args[1]?.startsWith('$geo'));
    if (geoHeaders.length === 0) continue;
    headers[location.args[0]] = Object.fromEntries(
      geoHeaders.map(d => [d.args[0].toLowerCase(), d.args[1].slice(1)]),
    );
  }

  const nginx = await startNginx({ prefix, conf, port });
  return {
    nginx,
    routing: NginxRouting.fromDirectives(conf, directives),
    headers,
  };
}

describe.each(['geo.t', 'geo_ipv6.t'])(
  "nginx's own %s config answers as nginx does",
  name => {
    let harness: CorpusHarness;

    beforeAll(async () => {
      harness = await startCorpusConfig(name);
    });

    afterAll(async () => {
      await harness?.nginx.stop();
    });

    it('for 10,000+ requests, every geo variable of the config', async () => {
      const { nginx, routing, headers } = harness;
      const random = seededRandom(name.length);
      const networks = [...routing.geos.values()].flatMap(g =>
        g.entries.map(e => e.network),
      );
      const edges = boundaryAddresses(networks);
      const pick = () => {
        const r = random();
        if (r < 0.3) return edges[Math.floor(random() * edges.length)];
        if (r < 0.6) return randomIPv4(random);
        if (r < 0.8) return randomIPv6(random);
        if (r < 0.9) return randomMapped(random);
        return random() < 0.5 ? '127.0.0.1' : '::1';
      };

      // Query arguments nginx cannot read as an address.
      const unreadable = () => (random() < 0.5 ? 'not-an-address' : '');
      const probes: Probe[] = [];
      for (let i = 0; i < 10_000; i++) {
        const trustedPeer = random() < 0.4;
        probes.push({
          remote: trustedPeer ? undefined : pick(),
          xff:
            random() < 0.5
              ? Array.from({ length: 1 + Math.floor(random() * 3) }, pick).join(
                  ', ',
                )
              : undefined,
          ip: random() < 0.9 ? pick() : unreadable(),
          path: random() < 0.5 ? '/2' : '/',
        });
      }

      const locations = Object.keys(headers);
      let compared = 0;
      const mismatches: string[] = [];
      await inParallel(probes, 16, async probe => {
        const location =
          probe.path === '/2' && locations.includes('/2') ? '/2' : '/';
        const theirs = await nginx.get(urlFor(probe), headersFor(probe));
        // Behind geo_ipv6.t's proxy the peer is ::1, in geo.t 127.0.0.1.
        const peer = name === 'geo_ipv6.t' ? '::1' : '127.0.0.1';
        const variables = headers[location] ?? headers['/'];
        // realip ignores an X-Real-IP nginx cannot read (255.255.255.255 is
        // nginx's "none"), leaving the peer's address.
        const remote =
          probe.remote !== undefined && parseAddress(probe.remote)
            ? probe.remote
            : peer;
        for (const [header, variable] of Object.entries(variables)) {
          const ours = routing.lookup(variable, {
            remote,
            xForwardedFor: probe.xff,
            args: probe.ip === undefined ? {} : { ip: probe.ip },
          });
          const value = theirs.headers[header] ?? '';
          compared++;
          if (theirs.status !== 200 || value !== ours.value) {
            mismatches.push(
              `${JSON.stringify(probe)} $${variable}: nginx ${
                theirs.status
              } "${value}", ours "${ours.value}"`,
            );
          }
        }
      });
      expect(mismatchReport(mismatches, compared)).toBe(
        mismatchReport([], compared),
      );
      expect(compared).toBeGreaterThanOrEqual(10_000);
    });
  },
);

describe("openproxy's geo block (a real nginx.conf from the corpus) answers as nginx does", () => {
  let nginx: RunningNginx;
  let routing: NginxRouting;
  const dir = makePrefix();

  beforeAll(async () => {
    // The file's server proxies to a host of its author's network, so the
    // geo block is cut out of it verbatim and served by the test harness.
    const text = fs.readFileSync(
      path.join(nginxGeoDir, 'openproxy/nginx.conf.geo'),
      'utf8',
    );
    const start = text.indexOf('geo $remote_addr $geo {');
    const block = text.slice(start, text.indexOf('}', start) + 1);
    if (start < 0 || !block.includes('ranges;')) {
      throw new Error('the corpus file no longer has its ranges geo block');
    }

    const geoFile = path.join(dir, 'openproxy-geo.conf');
    fs.writeFileSync(geoFile, block);
    routing = NginxRouting.fromFile(geoFile);
    nginx = await startHarness(geoFile, 'geo');
  });

  afterAll(async () => {
    await nginx?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('for 10,000+ addresses around and inside its ranges', async () => {
    const random = seededRandom(137);
    const geo = routing.geos.get('geo')!;
    const probes: Probe[] = boundaryAddresses(
      geo.entries.map(e => e.network),
    ).map(remote => ({ remote }));
    for (let i = 0; i < 4000; i++) {
      probes.push({ remote: `192.168.137.${Math.floor(random() * 256)}` });
    }
    for (let i = 0; i < 4000; i++) probes.push({ remote: randomIPv4(random) });
    for (let i = 0; i < 1000; i++) probes.push({ remote: randomIPv6(random) });
    for (let i = 0; i < 1000; i++) {
      probes.push({
        remote: `::ffff:192.168.137.${Math.floor(random() * 256)}`,
      });
    }
    expect(probes.length).toBeGreaterThanOrEqual(10_000);

    expect(await differences(nginx, routing, 'geo', probes)).toEqual([]);
  });
});
