#!/usr/bin/env node
/*
 * Writes src/schema/openapi.yaml into the catalog's API entity, whose
 * definition must be inline (the catalog reads it from a file location,
 * where $text placeholders are not resolved). Run after every change to the
 * document; src/schema/openapi.test.ts fails while the two differ.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const documentPath = resolve(here, '../src/schema/openapi.yaml');
const entityPath = resolve(
  here,
  '../../../catalog/apis/tms-observability-api.yaml',
);

const MARKER = '  definition: |\n';
const entity = readFileSync(entityPath, 'utf8');
const at = entity.indexOf(MARKER);
if (at < 0) {
  throw new Error(`${entityPath} has no inline definition to replace`);
}

const indented = readFileSync(documentPath, 'utf8')
  .split('\n')
  .map(line => (line ? `    ${line}` : line))
  .join('\n');
writeFileSync(entityPath, entity.slice(0, at + MARKER.length) + indented);
