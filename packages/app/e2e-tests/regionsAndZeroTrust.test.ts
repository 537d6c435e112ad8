import { expect, test } from '@playwright/test';
import { signInAsGuest } from './signIn';

// The traffic generator of app-config.yaml sends spans, logins and
// decisions from its first seconds; the region probes run every second.
const LIVE_DATA_TIMEOUT = 60_000;

// The portal scrolls inside its content pane, so a full-page screenshot is
// one viewport: a tall one shows each page whole.
test.use({ viewport: { width: 1440, height: 2000 } });

// The static token app-config.e2e.yaml gives the suite, for the
// service-only POST /logins.
const SERVICE_TOKEN =
  process.env.TMS_E2E_SERVICE_TOKEN ?? 'tms-e2e-service-token-for-tests';

test('the Regions page shows the regions with live traffic, a failover what-if and a routed address', async ({
  page,
}, testInfo) => {
  await signInAsGuest(page);

  await page
    .getByRole('navigation', { name: 'sidebar nav' })
    .getByRole('link', { name: 'Regions', exact: true })
    .click();
  await expect(page).toHaveURL(/\/regions/);
  await expect(page.getByRole('heading', { name: 'Regions' })).toBeVisible();

  for (const region of ['ap-southeast-1', 'us-east-1', 'eu-west-1']) {
    await expect(page.getByTestId(`region-row-${region}`)).toBeVisible({
      timeout: LIVE_DATA_TIMEOUT,
    });
  }

  // Live traffic: a request rate above zero, read from the engine.
  const eu = page.getByTestId('region-row-eu-west-1');
  await expect(eu.getByText(/^(?!0\.00)\d+\.\d+ req\/s$/).first()).toBeVisible({
    timeout: LIVE_DATA_TIMEOUT,
  });

  await page.getByRole('button', { name: /^Region eu-west-1, / }).click();
  await expect(page).toHaveURL(/region=eu-west-1/);
  await expect(
    page.getByRole('table', { name: 'Latest probe rounds' }),
  ).toBeVisible({ timeout: LIVE_DATA_TIMEOUT });

  await page.getByRole('checkbox', { name: 'Fail eu-west-1' }).check();
  await expect(page).toHaveURL(/down=eu-west-1/);
  await expect(page.getByTestId('what-if-us-east-1')).toBeVisible();
  await expect(page.getByText(/client networks move/)).toBeVisible();

  await page.getByLabel('Client address').fill('8.8.8.8');
  await page.getByRole('button', { name: 'Route', exact: true }).click();
  await expect(page).toHaveURL(/ip=8\.8\.8\.8/);
  await expect(
    page.getByTestId('route-decision').getByText(/^(Served by|No region)/),
  ).toBeVisible();

  await page.screenshot({
    path: testInfo.outputPath('regions.png'),
    fullPage: true,
  });

  // The selection is in the URL: a reload shows the same.
  await page.reload();
  await expect(page.getByTestId('what-if-us-east-1')).toBeVisible({
    timeout: LIVE_DATA_TIMEOUT,
  });
  await expect(page.getByTestId('route-decision')).toBeVisible();
});

test('the Zero trust page shows policies and live risk, and explains a tested decision', async ({
  page,
}, testInfo) => {
  await signInAsGuest(page);

  await page
    .getByRole('navigation', { name: 'sidebar nav' })
    .getByRole('link', { name: 'Zero trust', exact: true })
    .click();
  await expect(page).toHaveURL(/\/zero-trust/);

  await expect(page.getByTestId('policy-admin-requires-mfa')).toBeVisible({
    timeout: LIVE_DATA_TIMEOUT,
  });
  await expect(
    page.getByRole('list', { name: 'Risk score ranges' }),
  ).toBeVisible({ timeout: LIVE_DATA_TIMEOUT });

  // An address reserved for documentation is denied by the highest
  // priority policy of deploy/platform/zero-trust/zero-trust-policies.yaml.
  await page.getByLabel('User').fill('e2e-alice');
  await page.getByLabel('Roles').fill('engineer');
  await page.getByLabel('Client address').fill('192.0.2.10');
  await page.getByRole('button', { name: 'Test decision' }).click();

  const decision = page.getByTestId('decision');
  await expect(decision.getByText('deny', { exact: true })).toBeVisible();
  await expect(
    decision.getByText('deny-documentation-networks').first(),
  ).toBeVisible();
  await expect(
    decision
      .getByTestId('explained-condition')
      .filter({ hasText: '✓ context.ip in_cidr' })
      .filter({ hasText: 'the request has 192.0.2.10' }),
  ).toBeVisible();

  await expect(page.getByTestId('audit-verification')).toContainText(
    'Chain verified',
    { timeout: LIVE_DATA_TIMEOUT },
  );

  await page.screenshot({
    path: testInfo.outputPath('zero-trust.png'),
    fullPage: true,
  });
});

test('an address blocked by the brute-force limit is unblocked from the page', async ({
  page,
  request,
}, testInfo) => {
  // Failed logins from one address over the engine's real API, as
  // auth-service reports them, until the brute-force limit blocks it.
  const attacker = `198.18.${Math.floor(Math.random() * 250)}.${
    1 + Math.floor(Math.random() * 250)
  }`;
  let blocked = false;
  for (let attempt = 0; attempt < 40 && !blocked; attempt++) {
    const response = await request.post('/api/zero-trust/logins', {
      headers: { Authorization: `Bearer ${SERVICE_TOKEN}` },
      data: {
        user: `e2e-victim-${attempt}`,
        outcome: 'failed',
        clientAddress: attacker,
      },
    });
    expect(response.ok()).toBe(true);
    blocked = (await response.json()).blocked === true;
  }
  expect(blocked).toBe(true);

  await signInAsGuest(page);
  await page.goto('/zero-trust');

  const row = page.getByTestId('blocked-address').filter({ hasText: attacker });
  await expect(row).toBeVisible({ timeout: LIVE_DATA_TIMEOUT });
  await row.scrollIntoViewIfNeeded();
  await page.screenshot({
    path: testInfo.outputPath('zero-trust-blocked.png'),
    fullPage: true,
  });

  await row.getByRole('button', { name: `Unblock ${attacker}` }).click();
  await expect(page.getByText(`Unblocked ${attacker}.`)).toBeVisible();
  await expect(row).toHaveCount(0);

  const blocks = await request.get('/api/zero-trust/blocks', {
    headers: { Authorization: `Bearer ${SERVICE_TOKEN}` },
  });
  const body = await blocks.json();
  expect(
    body.blocks.map((b: { clientAddress: string }) => b.clientAddress),
  ).not.toContain(attacker);
});
