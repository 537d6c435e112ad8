import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BACKSTAGE_CLI = require.resolve('@backstage/cli/bin/backstage-cli');

/**
 * A loopback port that is free now, as the kernel hands it out for port 0.
 * A port picked at random could belong to another backend of a parallel
 * test, which would then answer this one's readiness probe. Asked in a
 * child process because Node binds sockets only asynchronously.
 */
function freePort(): number {
  const output = execFileSync(
    process.execPath,
    [
      '-e',
      "const s = require('node:net').createServer();" +
        "s.listen(0, '127.0.0.1', () => {" +
        'process.stdout.write(String(s.address().port)); s.close(); });',
    ],
    { encoding: 'utf8' },
  );
  return Number(output);
}

/** Backends still running; killed if the test run itself is stopped. */
const running = new Set<number>();

function killRunning() {
  for (const pid of running) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}
process.once('exit', killRunning);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    killRunning();
    process.exit(1);
  });
}

export interface BackendProcessOptions {
  /** The backend package's folder. */
  packageDir: string;
  /** Config files, absolute, in the order they are loaded. */
  configFiles: string[];
  /**
   * Config laid over the files last, or a function of the process's own
   * folder that returns it. Gets `backend.baseUrl` and `backend.listen` for
   * the process's own port added.
   */
  config?:
    | Record<string, unknown>
    | ((workDir: string) => Record<string, unknown>);
  env?: Record<string, string>;
}

/**
 * A backend started as `yarn start` starts it (`backstage-cli package
 * start`), on a random loopback port, so that a test talks to it over HTTP
 * as any client does.
 */
export class BackendProcess {
  private readonly child: ChildProcess;
  /** A folder of this process's own, removed when it stops. */
  readonly workDir: string;
  private output = '';
  private partialLine = '';
  private readonly lineListeners: Array<(line: string) => void> = [];
  readonly baseUrl: string;

  static start(options: BackendProcessOptions) {
    const port = freePort();
    const baseUrl = `http://127.0.0.1:${port}`;
    const workDir = mkdtempSync(join(tmpdir(), 'tms-backend-test-'));
    const overrideFile = join(workDir, 'app-config.test.yaml');

    const config =
      typeof options.config === 'function'
        ? options.config(workDir)
        : options.config ?? {};
    const backend = (config.backend ?? {}) as Record<string, unknown>;
    writeFileSync(
      overrideFile,
      JSON.stringify({
        ...config,
        app: { baseUrl },
        backend: {
          ...backend,
          baseUrl,
          listen: { port, host: '127.0.0.1' },
        },
      }),
    );

    const child = spawn(
      process.execPath,
      [
        BACKSTAGE_CLI,
        'package',
        'start',
        ...[...options.configFiles, overrideFile].flatMap(file => [
          '--config',
          file,
        ]),
      ],
      {
        cwd: options.packageDir,
        env: { ...process.env, ...options.env },
        // Its own process group: the CLI starts the backend as a child.
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    running.add(child.pid!);
    return new BackendProcess(child, workDir, baseUrl);
  }

  private constructor(child: ChildProcess, workDir: string, baseUrl: string) {
    this.child = child;
    this.workDir = workDir;
    this.baseUrl = baseUrl;
    child.stdout?.on('data', chunk => this.record(chunk));
    child.stderr?.on('data', chunk => this.record(chunk));
  }

  private record(chunk: Buffer) {
    const text = chunk.toString();
    // Keep the tail only: enough to explain a failed start.
    this.output = (this.output + text).slice(-20_000);

    // Whole lines only, however the pipe splits them.
    const lines = (this.partialLine + text).split('\n');
    this.partialLine = lines.pop() ?? '';
    for (const line of lines) {
      this.lineListeners.forEach(listener => listener(line));
    }
  }

  /**
   * Calls the listener with every line the backend writes from now on, on
   * stdout or stderr: how a test sees which process did a piece of work.
   */
  onOutputLine(listener: (line: string) => void) {
    this.lineListeners.push(listener);
  }

  async waitUntilReady() {
    const deadline = Date.now() + 150_000;
    while (Date.now() < deadline) {
      if (!this.isRunning()) {
        break;
      }
      try {
        const response = await fetch(
          `${this.baseUrl}/.backstage/health/v1/readiness`,
        );
        if (response.ok) {
          return;
        }
      } catch {
        // Not listening yet.
      }
      await new Promise(r => setTimeout(r, 500));
    }
    throw new Error(`The backend did not become ready:\n${this.output}`);
  }

  /**
   * Kills the backend at once with SIGKILL, as a crash or the OOM killer
   * would: no shutdown hook runs. Its folder stays; call stop() to remove
   * it.
   */
  async kill() {
    if (this.isRunning() && this.child.pid) {
      const exited = new Promise(r => this.child.once('exit', r));
      process.kill(-this.child.pid, 'SIGKILL');
      await exited;
      running.delete(this.child.pid);
    }
  }

  /** A process killed by a signal has no exit code, only a signal code. */
  private isRunning() {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  async stop() {
    if (this.isRunning() && this.child.pid) {
      const exited = new Promise(r => this.child.once('exit', r));
      process.kill(-this.child.pid, 'SIGTERM');
      await Promise.race([exited, new Promise(r => setTimeout(r, 10_000))]);
      if (this.isRunning()) {
        process.kill(-this.child.pid, 'SIGKILL');
      }
      running.delete(this.child.pid);
    }
    rmSync(this.workDir, { recursive: true, force: true });
  }
}
