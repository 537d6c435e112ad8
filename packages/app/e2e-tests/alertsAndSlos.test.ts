import { APIRequestContext, expect, test } from '@playwright/test';
import { signInAsGuest } from './signIn';

const LIVE_DATA_TIMEOUT = 60_000;

/**
 * The guest's Backstage token, as the app gets it, so that the test can
 * call the engine's API as the signed-in user.
 */
async function guestToken(request: APIRequestContext) {
  const response = await request.get('/api/auth/guest/refresh', {
    headers: { 'x-requested-with': 'XMLHttpRequest' },
  });
  expect(response.ok()).toBe(true);
  const body = await response.json();
  return body.backstageIdentity.token as string;
}

test('the Alerts and SLOs & KPIs pages show live data, and an alert is acknowledged', async ({
  page,
}, testInfo) => {
  await signInAsGuest(page);
  const token = await guestToken(page.request);
  const auth = { authorization: `Bearer ${token}` };

  // The SLO burn-rate alerts depend on when the generator's errors fall;
  // a rule on the generator's own request rate fires on the next
  // evaluation (every second) once api-gateway has served a request.
  const ruleId = `e2e-gateway-traffic-${Date.now().toString(36)}`;
  const created = await page.request.post('/api/observability/alert-rules', {
    headers: auth,
    data: {
      id: ruleId,
      series: 'request_rate',
      window: '1m',
      operator: '>',
      threshold: 0,
      severity: 'info',
      scope: { service: 'api-gateway' },
      summary: 'api-gateway serves requests (browser suite)',
    },
  });
  expect(created.status()).toBe(201);

  try {
    const sidebar = page.getByRole('navigation', { name: 'sidebar nav' });
    await sidebar.getByRole('link', { name: 'Alerts', exact: true }).click();
    await expect(page).toHaveURL(/\/alerts/);
    await expect(
      page.getByRole('heading', { name: 'Alerts', level: 1 }),
    ).toBeVisible();

    // Filters go to the URL.
    const service = page.getByLabel('Service');
    await service.fill('api-gateway');
    await service.press('Enter');
    await expect(page).toHaveURL(/service=api-gateway/);

    const row = page
      .getByTestId('alert-row')
      .filter({ hasText: ruleId })
      .first();
    await expect(row).toBeVisible({ timeout: LIVE_DATA_TIMEOUT });
    await page.screenshot({
      path: testInfo.outputPath('alerts.png'),
      fullPage: true,
    });

    await row.getByRole('button', { name: 'Acknowledge' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Comment (optional)').fill('checked by the suite');
    await dialog.getByRole('button', { name: 'Acknowledge' }).click();
    await expect(dialog).toBeHidden();

    // The engine recorded the signed-in user.
    const acknowledged = page
      .getByTestId('alert-row')
      .filter({ hasText: 'Acknowledged by user:default/guest' })
      .filter({ hasText: ruleId })
      .first();
    await expect(acknowledged).toBeVisible();
    await expect(acknowledged).toContainText('checked by the suite');
    await expect(
      acknowledged.getByRole('button', { name: 'Acknowledge' }),
    ).toHaveCount(0);
    await page.screenshot({
      path: testInfo.outputPath('alerts-acknowledged.png'),
      fullPage: true,
    });

    await sidebar
      .getByRole('link', { name: 'SLOs & KPIs', exact: true })
      .click();
    await expect(page).toHaveURL(/\/slos-and-kpis/);
    await expect(page.getByTestId('slo-card').first()).toBeVisible({
      timeout: LIVE_DATA_TIMEOUT,
    });
    await expect(
      page.getByRole('table', { name: 'SLOs of api-gateway@eu-west-1' }),
    ).toBeVisible();
    const kpis = page.getByRole('table', { name: 'Business KPIs' });
    await expect(kpis.getByTestId('kpi-row').first()).toContainText(
      'All regions',
      { timeout: LIVE_DATA_TIMEOUT },
    );
    await expect(page.getByTestId('kpi-trend')).toBeVisible({
      timeout: LIVE_DATA_TIMEOUT,
    });
    await page.screenshot({
      path: testInfo.outputPath('slos-and-kpis.png'),
      fullPage: true,
    });
    // The page scrolls inside Backstage's content area: bring the SLOs in.
    await page
      .getByRole('table', { name: 'SLOs of api-gateway@eu-west-1' })
      .scrollIntoViewIfNeeded();
    await page.screenshot({ path: testInfo.outputPath('slos.png') });
  } finally {
    await page.request.delete(`/api/observability/alert-rules/${ruleId}`, {
      headers: auth,
    });
  }
});
