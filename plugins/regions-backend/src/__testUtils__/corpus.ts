import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';

/** The repository root: the plugin lives at plugins/regions-backend. */
export const repoRoot = path.resolve(__dirname, '../../../..');

/** The shared corpus beside the repository (CI clones it next to it). */
export const corpusDir = path.resolve(repoRoot, '../shared/corpus');

export const nginxGeoDir = path.join(corpusDir, 'nginx-geo');

export function readCorpusYaml<T>(file: string): T {
  return YAML.parse(fs.readFileSync(file, 'utf8')) as T;
}

export interface GeoCase {
  remote_addr?: string;
  arg_ip?: string;
  x_forwarded_for?: string;
  path?: string;
  variable: string;
  value: string;
  name: string;
}

/**
 * A corpus nginx-tests config with its harness placeholders filled in, as
 * nginx-tests does before starting nginx.
 */
export function fillTestConfig(
  text: string,
  fill: { globals?: string; http?: string; port: number },
): string {
  return text
    .replace('%%TEST_GLOBALS%%', fill.globals ?? '')
    .replace('%%TEST_GLOBALS_HTTP%%', fill.http ?? '')
    .replace(/127\.0\.0\.1:8080/g, `127.0.0.1:${fill.port}`)
    .replace(/%%PORT_8080%%/g, String(fill.port + 1));
}
