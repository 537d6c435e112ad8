import { expect, test } from '@playwright/test';
import { signInAsGuest } from './signIn';

// The catalog lists components by their titles (catalog/components/).
const SERVICES = [
  'API gateway',
  'Auth service',
  'User service',
  'Quiz service',
  'Safety check service',
  'Invoice service',
  'Notification service',
  'GraphQL service',
  'Reporting service',
  'Feedback service',
  'Observability service',
];

test('a guest sees the eleven TMS services in the catalog', async ({
  page,
}, testInfo) => {
  await signInAsGuest(page);

  await page.goto('/catalog?filters[kind]=component&filters[user]=all');

  const table = page.getByRole('table');
  for (const service of SERVICES) {
    await expect(
      table.getByRole('link', { name: service, exact: true }),
    ).toBeVisible();
  }
  await expect(
    page
      .getByRole('heading', { name: `All Components (${SERVICES.length})` })
      .first(),
  ).toBeVisible();

  await page.screenshot({
    path: testInfo.outputPath('catalog.png'),
    fullPage: true,
  });
});

test("api-gateway's page shows its API and the regions it runs in", async ({
  page,
}, testInfo) => {
  await signInAsGuest(page);

  await page.goto('/catalog/default/component/api-gateway');

  await expect(
    page.getByRole('heading', { name: /API gateway/ }).first(),
  ).toBeVisible();

  // The three regions are the Resources the component depends on.
  for (const region of ['eu-west-1', 'us-east-1', 'ap-southeast-1']) {
    await expect(
      page.getByRole('link', { name: region, exact: true }).first(),
    ).toBeVisible();
  }
  await page.screenshot({
    path: testInfo.outputPath('api-gateway-overview.png'),
    fullPage: true,
  });

  await page
    .getByRole('navigation', { name: 'Content navigation' })
    .getByRole('link', { name: 'APIs' })
    .click();
  await expect(page).toHaveURL(/\/api-gateway\/apis$/);
  await expect(
    page.getByRole('heading', { name: 'Provided APIs' }),
  ).toBeVisible();
  await expect(
    page.getByRole('link', { name: 'TMS public REST API' }).first(),
  ).toBeVisible();
  await page.screenshot({
    path: testInfo.outputPath('api-gateway-apis.png'),
    fullPage: true,
  });
});
