import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { ManifestFile } from '../lib/validation/validateManifests';

/*
 * The shared test corpus sits beside the repository (CI copies shared/ next
 * to the clone), so it is found from the repository root, never bundled.
 */
const REPO_ROOT = resolve(
  resolvePackagePath('@internal/plugin-scaffolder-backend-module-tms'),
  '../..',
);

/** Absolute path of a folder or file of the shared corpus. */
export function corpusPath(...parts: string[]): string {
  return resolve(REPO_ROOT, '..', 'shared', 'corpus', ...parts);
}

/** The YAML files of a corpus folder, named relative to the corpus. */
export function corpusFiles(
  folder: string,
  filter: (name: string) => boolean = () => true,
): ManifestFile[] {
  return readdirSync(corpusPath(folder))
    .filter(name => /\.ya?ml$/.test(name) && filter(name))
    .sort()
    .map(name => ({
      path: join(folder, name),
      content: readFileSync(corpusPath(folder, name), 'utf8'),
    }));
}

/** A parsed corpus document together with its position in the file. */
export type CorpusDocument = { index: number; object: Record<string, any> };

/** The non-empty documents of a corpus file. */
export function corpusDocuments(file: string): CorpusDocument[] {
  return parseAllDocuments(readFileSync(corpusPath(file), 'utf8'))
    .map((document, index) => ({ index, object: document.toJSON() }))
    .filter(document => document.object);
}
