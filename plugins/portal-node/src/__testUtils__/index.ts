import { DatabaseManager } from '@backstage/backend-defaults/database';
import { mockServices } from '@backstage/backend-test-utils';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** What a route answered, as supertest gives it. */
interface Answer {
  status: number;
  body: any;
  text: string;
}

/**
 * Checks that a route reads its body with `jsonBody`: a text/plain body is
 * a 415 that names the type, and malformed JSON a 400 (InputError) that
 * names the place without repeating the body. `send` sends `body` to the
 * route with the Content-Type given, with whatever credentials it needs.
 */
export async function expectJsonBodyChecks(
  send: (contentType: string, body: string) => PromiseLike<Answer>,
) {
  const text = await send('text/plain', 'hunter2');
  expect(text.status).toBe(415);
  expect(text.body.error).toMatchObject({
    name: 'UnsupportedMediaTypeError',
    message:
      "Content-Type 'text/plain' is not supported; send application/json",
  });

  const malformed = await send(
    'application/json',
    '{"secret": "hunter2", oops}',
  );
  expect(malformed.status).toBe(400);
  expect(malformed.body.error).toEqual({
    name: 'InputError',
    message:
      "Request body is not valid JSON: Unexpected token 'o' at position 22",
  });
  expect(malformed.text).not.toContain('hunter2');
}

/**
 * Stops a child process and waits until it has exited: SIGTERM, then
 * SIGKILL after `graceMs`. A server stopped with SIGTERM may still be
 * writing its state (Alertmanager its silences and notification log, nginx
 * its pid file) when kill() returns, so a test that removes its working
 * folder right after kill() races it and fails with ENOTEMPTY.
 */
export async function stopChildProcess(
  child: ChildProcess | undefined,
  graceMs = 3000,
) {
  if (!child || child.exitCode !== null || child.signalCode !== null) {
    return;
  }

  const exited = new Promise(resolve => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/**
 * A plugin's database in a SQLite file, in a new folder, through
 * Backstage's database service as the backend configures it (the tests'
 * own databases are in memory). `remove` closes it and deletes the folder.
 */
export function sqliteFileDatabase(pluginId: string) {
  const directory = mkdtempSync(join(tmpdir(), `tms-${pluginId}-`));
  const database = DatabaseManager.fromConfig(
    mockServices.rootConfig({
      data: {
        backend: {
          database: { client: 'better-sqlite3', connection: { directory } },
        },
      },
    }),
  ).forPlugin(pluginId, {
    logger: mockServices.logger.mock(),
    lifecycle: mockServices.lifecycle.mock(),
  });

  return {
    database,
    remove: async () => {
      await (await database.getClient()).destroy();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
