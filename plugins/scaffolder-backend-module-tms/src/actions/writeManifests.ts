import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, posix } from 'node:path';
import { renderYamlDocuments } from '../lib/renderYaml';

/**
 * Writes each file's objects as YAML below `targetPath` in the workspace and
 * returns the written paths relative to the workspace. Paths that would
 * leave the workspace are refused by resolveSafeChildPath.
 */
export async function writeManifests(
  workspacePath: string,
  targetPath: string,
  files: Record<string, object[]>,
): Promise<string[]> {
  const written: string[] = [];

  for (const [name, objects] of Object.entries(files)) {
    const relative = posix.join(targetPath, name);
    const path = resolveSafeChildPath(workspacePath, relative);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, renderYamlDocuments(objects), 'utf8');
    written.push(relative);
  }
  return written;
}
