import { expect, test } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
} from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { signInAsGuest } from './signIn';

// The e2e backend runs app-config.yaml, whose local publishing folder is
// scaffolded/ at the repository root (git-ignored).
const PUBLISHED = resolve(__dirname, '../../../scaffolded');
const TEMPLATE = resolve(__dirname, '../../../templates/tms-microservice');

/** Every file of a folder, relative to it, with its text. */
function readTree(root: string): Array<{ path: string; content: string }> {
  const walk = (dir: string): string[] =>
    readdirSync(dir).flatMap(name =>
      statSync(join(dir, name)).isDirectory()
        ? walk(join(dir, name))
        : [join(dir, name)],
    );
  return walk(root).map(file => ({
    path: relative(root, file),
    content: readFileSync(file, 'utf8'),
  }));
}

test('an engineer dry-runs tms-microservice in the template editor and sees the generated files', async ({
  page,
}, testInfo) => {
  // The editor opens a local folder through the browser's directory
  // picker, a native dialog a test cannot click. The picker is replaced by
  // the origin's private file system, which the test fills with the
  // repository's template folder; everything after it is the real editor
  // and the backend's real dry run.
  await page.addInitScript(() => {
    (window as any).showDirectoryPicker = () =>
      navigator.storage.getDirectory();
  });
  await signInAsGuest(page);
  await page.evaluate(async files => {
    const root = await navigator.storage.getDirectory();
    for (const file of files) {
      const parts = file.path.split('/');
      let dir = root;
      for (const part of parts.slice(0, -1)) {
        dir = await dir.getDirectoryHandle(part, { create: true });
      }
      const handle = await dir.getFileHandle(parts[parts.length - 1], {
        create: true,
      });
      const writable = await handle.createWritable();
      await writable.write(file.content);
      await writable.close();
    }
  }, readTree(TEMPLATE));

  await page.goto('/create/edit');
  await page.getByText('Load Template Directory').click();
  await page.getByRole('treeitem', { name: 'template.yaml' }).click();

  await page.getByLabel('Name').fill('dry-run-service');
  await page.getByLabel('Description').fill('Tried in the template editor');
  await page.getByLabel('Owner').fill('platform');
  await page.getByRole('option').filter({ hasText: 'Platform team' }).click();
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByLabel('api.tms.example.com')).toBeChecked();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('button', { name: 'Review' }).click();
  await page.getByRole('button', { name: 'Create' }).click();

  // The dry-run results list the files the run produced.
  const results = page.getByRole('tree').last();
  await expect(page.getByText('Result 1')).toBeVisible({ timeout: 60_000 });
  for (const name of ['catalog-info.yaml', 'Dockerfile', 'deploy']) {
    await expect(
      results.getByRole('treeitem', { name, exact: true }),
    ).toBeVisible();
  }
  await results.getByRole('treeitem', { name: 'deploy', exact: true }).click();
  await results.getByRole('treeitem', { name: 'istio', exact: true }).click();
  await results
    .getByRole('treeitem', { name: 'virtual-service.yaml', exact: true })
    .click();
  await expect(
    page.getByText('dry-run-service.tms.svc.cluster.local').first(),
  ).toBeVisible();
  await page.screenshot({
    path: testInfo.outputPath('dry-run-results.png'),
    fullPage: true,
  });

  // A dry run publishes nothing.
  await page.getByRole('tab', { name: 'Log' }).click();
  await page
    .getByRole('button', { name: 'Publish to a local Git repository' })
    .click();
  await expect(page.getByText(/Would publish locally/)).toBeVisible();
  expect(existsSync(join(PUBLISHED, 'dry-run-service'))).toBe(false);
});

test('an engineer creates a TMS service from the tms-microservice template', async ({
  page,
}, testInfo) => {
  const name = `e2e-service-${Date.now().toString(36)}`;
  const target = join(PUBLISHED, name);
  await signInAsGuest(page);

  await page.goto('/create');
  await expect(page.getByText('TMS microservice')).toBeVisible();
  await page.goto('/create/templates/default/tms-microservice');

  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Description').fill('Created by the browser suite');
  await page.getByLabel('Owner').fill('platform');
  await page.getByRole('option').filter({ hasText: 'Platform team' }).click();
  await page.screenshot({ path: testInfo.outputPath('form-service.png') });
  await page.getByRole('button', { name: 'Next' }).click();

  // The traffic and publishing steps keep their defaults: the public API
  // host, the API gateway as caller, and the local folder.
  await expect(page.getByLabel('api.tms.example.com')).toBeChecked();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('button', { name: 'Review' }).click();
  await page.screenshot({ path: testInfo.outputPath('form-review.png') });
  await page.getByRole('button', { name: 'Create' }).click();

  await expect(page.getByText(/listens on port/)).toBeVisible({
    timeout: 60_000,
  });
  await expect(page.getByText(/port\s+8011/)).toBeVisible();
  // The task log shows the generated manifests passing validation.
  await expect(
    page.getByText(/Validated manifests .*"documents":10/),
  ).toBeVisible();
  await page.screenshot({
    path: testInfo.outputPath('task-completed.png'),
    fullPage: true,
  });

  try {
    for (const file of [
      'catalog-info.yaml',
      'src/index.ts',
      'Dockerfile',
      'deploy/k8s/deployment.yaml',
      'deploy/istio/virtual-service.yaml',
      'deploy/argocd/application-set.yaml',
    ]) {
      expect(existsSync(join(target, file))).toBe(true);
    }
    expect(readFileSync(join(target, 'catalog-info.yaml'), 'utf8')).toContain(
      "tms.example.com/port: '8011'",
    );
    // The local target is a Git repository with every file committed.
    const git = (...args: string[]) =>
      execFileSync('git', ['-C', target, ...args], { encoding: 'utf8' });
    expect(git('status', '--porcelain')).toBe('');
    expect(git('ls-files')).toContain('deploy/istio/virtual-service.yaml');

    // The new service is in the catalog.
    await page.getByRole('link', { name: 'Open in catalog' }).click();
    await expect(page.getByRole('heading', { name })).toBeVisible();
  } finally {
    rmSync(target, { recursive: true, force: true });
  }
});
