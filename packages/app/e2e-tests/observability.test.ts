import { expect, test } from '@playwright/test';
import { signInAsGuest } from './signIn';

// The e2e backend runs app-config.yaml, whose embedded traffic generator
// sends spans and logs of the eleven services into the engine; the first
// ones arrive within seconds of the start.
const LIVE_DATA_TIMEOUT = 60_000;

test('the mesh and traces pages show live data, from a mesh edge to one of its traces', async ({
  page,
}, testInfo) => {
  await signInAsGuest(page);

  const sidebar = page.getByRole('navigation', { name: 'sidebar nav' });
  await sidebar.getByRole('link', { name: 'Mesh', exact: true }).click();
  await expect(page).toHaveURL(/\/mesh/);
  await expect(page.getByRole('heading', { name: 'Mesh' })).toBeVisible();

  // Edges between services called by the traffic generator.
  const edges = page.getByTestId('mesh-edge-label');
  await expect(edges.first()).toBeVisible({ timeout: LIVE_DATA_TIMEOUT });
  await expect(
    page.getByRole('button', { name: /^Service api-gateway in / }).first(),
  ).toBeVisible();
  await page.screenshot({
    path: testInfo.outputPath('mesh.png'),
    fullPage: true,
  });

  const edge = edges.first();
  const edgeName = await edge.getAttribute('aria-label');
  const callee = /to (.+)@/.exec(edgeName ?? '')?.[1];
  expect(callee).toBeTruthy();
  await edge.click();

  const panel = page.getByRole('complementary', { name: 'Selection details' });
  await expect(panel.getByText('Request rate')).toBeVisible();
  await expect(page).toHaveURL(/selected=/);
  await page.screenshot({
    path: testInfo.outputPath('mesh-edge-selected.png'),
    fullPage: true,
  });

  await expect(
    panel.getByRole('link', { name: `Alerts of ${callee}` }),
  ).toHaveAttribute('href', `/alerts?service=${callee}`);
  await panel.getByRole('link', { name: `Traces of ${callee}` }).click();
  await expect(page).toHaveURL(
    new RegExp(`/traces-and-logs\\?tab=traces&service=${callee}`),
  );
  const traceRows = page.getByTestId('trace-row');
  await expect(traceRows.first()).toBeVisible({ timeout: LIVE_DATA_TIMEOUT });
  await page.screenshot({
    path: testInfo.outputPath('traces.png'),
    fullPage: true,
  });

  await traceRows
    .first()
    .getByRole('link', { name: /^Open trace / })
    .click();
  await expect(page).toHaveURL(/trace=[0-9a-f]{32}/);
  const spans = page.getByTestId('span-row');
  await expect(spans.first()).toBeVisible();
  // The trace passes through the edge's callee.
  await expect(
    page
      .getByRole('tree', { name: 'Span waterfall' })
      .getByText(callee!, {
        exact: true,
      })
      .first(),
  ).toBeVisible();
  await page.screenshot({
    path: testInfo.outputPath('trace-waterfall.png'),
    fullPage: true,
  });

  // The page's filters are in its URL: opening it afresh shows the same.
  await page.reload();
  await expect(page.getByTestId('span-row').first()).toBeVisible();
});

test('the logs tab shows live log records and leads to their trace', async ({
  page,
}, testInfo) => {
  await signInAsGuest(page);

  await page
    .getByRole('navigation', { name: 'sidebar nav' })
    .getByRole('link', { name: 'Traces & logs' })
    .click();
  await page.getByRole('tab', { name: 'Logs' }).click();
  await expect(page).toHaveURL(/tab=logs/);

  const rows = page.getByTestId('log-row');
  await expect(rows.first()).toBeVisible({ timeout: LIVE_DATA_TIMEOUT });
  await page.screenshot({
    path: testInfo.outputPath('logs.png'),
    fullPage: true,
  });

  const withTrace = page
    .getByTestId('log-row')
    .getByRole('link', { name: /^Open trace / })
    .first();
  await expect(withTrace).toBeVisible({ timeout: LIVE_DATA_TIMEOUT });
  await withTrace.click();
  await expect(page).toHaveURL(/tab=traces&trace=[0-9a-f]{32}/);
  await expect(page.getByTestId('span-row').first()).toBeVisible();
});

test("api-gateway's Observability tab shows its regions, neighbours and SLOs", async ({
  page,
}, testInfo) => {
  await signInAsGuest(page);

  await page.goto('/catalog/default/component/api-gateway');
  await page
    .getByRole('navigation', { name: 'Content navigation' })
    .getByRole('link', { name: 'Observability' })
    .click();
  await expect(page).toHaveURL(/\/api-gateway\/observability$/);

  const regions = page.getByRole('table', { name: 'Requests per region' });
  await expect(regions.getByRole('row').nth(1)).toBeVisible({
    timeout: LIVE_DATA_TIMEOUT,
  });
  await expect(
    page
      .getByRole('table', { name: 'Mesh neighbours' })
      .getByText('calls')
      .first(),
  ).toBeVisible({ timeout: LIVE_DATA_TIMEOUT });
  // Its SLOs come from the same live requests; alerts may or may not be
  // open, and the card links to the Alerts page either way.
  await expect(
    page.getByRole('table', { name: 'Service SLOs' }).getByRole('row').nth(1),
  ).toBeVisible({ timeout: LIVE_DATA_TIMEOUT });
  await expect(
    page.getByRole('link', { name: 'All alerts of api-gateway' }),
  ).toHaveAttribute('href', '/alerts?service=api-gateway');
  await page.screenshot({
    path: testInfo.outputPath('api-gateway-observability.png'),
    fullPage: true,
  });
});
