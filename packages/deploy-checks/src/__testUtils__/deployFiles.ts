import { ManifestFile } from '@internal/plugin-scaffolder-backend-module-tms';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';

export const REPO_ROOT = resolve(__dirname, '../../../..');
export const DEPLOY_ROOT = join(REPO_ROOT, 'deploy');

/** Every file under a folder of the repository, by its path from the root. */
export function listFiles(dir: string): string[] {
  const absolute = join(REPO_ROOT, dir);
  return readdirSync(absolute, { recursive: true, withFileTypes: true })
    .filter(entry => entry.isFile())
    .map(entry => relative(REPO_ROOT, join(entry.parentPath, entry.name)))
    .sort();
}

export function readManifests(paths: string[]): ManifestFile[] {
  return paths.map(path => ({
    path,
    content: readFileSync(join(REPO_ROOT, path), 'utf8'),
  }));
}

/** The parsed documents of YAML files, with the file each came from. */
export function readDocuments(paths: string[]) {
  return paths.flatMap(path =>
    parseAllDocuments(readFileSync(join(REPO_ROOT, path), 'utf8')).map(
      document => ({ path, object: document.toJSON() as any }),
    ),
  );
}

/** Whether a document is a Kubernetes object: it has an apiVersion and kind. */
export function isKubernetesObject(object: unknown): boolean {
  return Boolean(
    object &&
      typeof object === 'object' &&
      'apiVersion' in object &&
      'kind' in object,
  );
}
