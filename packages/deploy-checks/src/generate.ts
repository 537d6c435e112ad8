/*
 * Writes the generated platform config into deploy/platform/ and removes
 * generated files whose service is gone: `yarn deploy:generate`.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { dirname, resolve } from 'node:path';
import {
  GENERATED_DIRS,
  generatePlatformFiles,
} from './platform/platformFiles';

const repoRoot = resolvePackagePath('@internal/deploy-checks', '../..');

const files = generatePlatformFiles(repoRoot);
for (const dir of GENERATED_DIRS) {
  rmSync(resolve(repoRoot, dir), { recursive: true, force: true });
}
for (const file of files) {
  const target = resolve(repoRoot, file.path);
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, file.content);
}
console.log(`Wrote ${files.length} files under deploy/platform/`);
