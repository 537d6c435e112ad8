import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { ManifestFile } from '../../lib/validation/validateManifests';

const YAML_FILE = /\.ya?ml$/;

async function listYamlFiles(path: string): Promise<string[]> {
  if (!(await stat(path)).isDirectory()) {
    return [path];
  }

  const entries = await readdir(path, { recursive: true });
  return entries
    .filter(entry => YAML_FILE.test(entry))
    .sort()
    .map(entry => join(path, entry));
}

/**
 * Reads the YAML files at the given workspace paths (files, or folders
 * searched recursively), named relative to the workspace.
 */
export async function readManifestFiles(
  workspacePath: string,
  paths: string[],
): Promise<ManifestFile[]> {
  const files: ManifestFile[] = [];

  for (const path of paths) {
    const absolute = resolveSafeChildPath(workspacePath, path);
    for (const file of await listYamlFiles(absolute)) {
      files.push({
        path: relative(workspacePath, file),
        content: await readFile(file, 'utf8'),
      });
    }
  }
  return files;
}
