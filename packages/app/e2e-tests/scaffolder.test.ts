import { expect, test } from '@playwright/test';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { signInAsGuest } from './signIn';

// The e2e backend runs app-config.yaml, whose local publishing folder is
// scaffolded/ at the repository root (git-ignored).
const PUBLISHED = resolve(__dirname, '../../../scaffolded');

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
  } finally {
    rmSync(target, { recursive: true, force: true });
  }
});
