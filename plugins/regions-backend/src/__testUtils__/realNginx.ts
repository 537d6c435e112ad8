import { execFile, spawn, ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { stopChildProcess } from '@internal/portal-node/testUtils';

const run = promisify(execFile);

/**
 * Debian's nginx-light, which `./portal test` installs (APT_PACKAGES_TEST).
 * NGINX_BINARY points elsewhere when nginx lives somewhere else.
 */
export function nginxBinary(): string {
  const binary = process.env.NGINX_BINARY ?? '/usr/sbin/nginx';
  if (!fs.existsSync(binary)) {
    throw new Error(
      `nginx not found at ${binary}: install Debian's nginx-light (./portal test does) or set NGINX_BINARY`,
    );
  }
  return binary;
}

/** A scratch directory that nginx uses as its prefix. */
export function makePrefix(): string {
  const prefix = fs.mkdtempSync(path.join(os.tmpdir(), 'tms-regions-nginx-'));
  // nginx's workers run as an unprivileged user when started as root.
  fs.chmodSync(prefix, 0o755);
  return prefix;
}

/**
 * Directives that keep nginx's temporary files and logs in the prefix
 * instead of the packaged root-owned paths.
 */
export function prefixHttpDirectives(prefix: string): string {
  return ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']
    .map(kind => `${kind}_temp_path ${path.join(prefix, `${kind}_temp`)};`)
    .concat('access_log off;')
    .join('\n');
}

/** A self-signed certificate for the three TMS host names, made by openssl. */
export async function makeTestCertificate(dir: string) {
  const crt = path.join(dir, 'tms.example.com.crt');
  const key = path.join(dir, 'tms.example.com.key');
  await run('openssl', [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '1',
    '-subj',
    '/CN=tms.example.com',
    '-addext',
    'subjectAltName=DNS:tms.example.com,DNS:api.tms.example.com,DNS:graphql.tms.example.com',
    '-keyout',
    key,
    '-out',
    crt,
  ]);
  return { crt, key };
}

/** Runs `nginx -t` on a configuration file; resolves with nginx's output. */
export async function nginxTest(prefix: string, conf: string) {
  try {
    const { stderr } = await run(nginxBinary(), [
      '-t',
      '-p',
      prefix,
      '-c',
      conf,
      '-e',
      path.join(prefix, 'error.log'),
      '-g',
      `pid ${path.join(prefix, 'nginx.pid')};`,
    ]);
    return { ok: true, output: stderr };
  } catch (error) {
    return { ok: false, output: String((error as { stderr?: string }).stderr) };
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, child: ChildProcess, log: string) {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`nginx exited with ${child.exitCode}: ${readLog(log)}`);
    }
    const open = await new Promise<boolean>(resolve => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise(r => setTimeout(r, 50));
  }
  throw new Error(`nginx did not listen on ${port}: ${readLog(log)}`);
}

function readLog(file: string) {
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
}

export interface RunningNginx {
  port: number;
  prefix: string;
  /** GET with headers; resolves with the status, headers and body. */
  get(
    pathAndQuery: string,
    headers?: Record<string, string>,
  ): Promise<{
    status: number;
    headers: http.IncomingHttpHeaders;
    body: string;
  }>;
  stop(): Promise<void>;
}

/**
 * Starts real nginx in the foreground on a loopback port with everything
 * (pid, logs, temporary files) inside `prefix`. The configuration must
 * say `daemon off;` and listen on `port`.
 */
export async function startNginx(options: {
  prefix: string;
  conf: string;
  port: number;
}): Promise<RunningNginx> {
  const { prefix, conf, port } = options;
  const log = path.join(prefix, 'error.log');
  const child = spawn(
    nginxBinary(),
    [
      '-p',
      prefix,
      '-c',
      conf,
      '-e',
      log,
      '-g',
      `pid ${path.join(prefix, 'nginx.pid')};`,
    ],
    { stdio: 'ignore' },
  );
  try {
    await waitForPort(port, child, log);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }

  const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
  return {
    port,
    prefix,
    get: (pathAndQuery, headers = {}) =>
      new Promise((resolve, reject) => {
        const request = http.get(
          { host: '127.0.0.1', port, path: pathAndQuery, headers, agent },
          response => {
            let body = '';
            response.setEncoding('utf8');
            response.on('data', chunk => (body += chunk));
            response.on('end', () =>
              resolve({
                status: response.statusCode ?? 0,
                headers: response.headers,
                body,
              }),
            );
          },
        );
        request.on('error', reject);
      }),
    stop: async () => {
      agent.destroy();
      await stopChildProcess(child);
      fs.rmSync(prefix, { recursive: true, force: true });
    },
  };
}

/** Runs `task` over `items` with at most `parallel` at a time. */
export async function inParallel<T>(
  items: T[],
  parallel: number,
  task: (item: T) => Promise<void>,
) {
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < items.length) {
        await task(items[next++]);
      }
    }),
  );
}
