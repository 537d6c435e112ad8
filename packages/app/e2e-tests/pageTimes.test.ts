import { expect, Locator, Page, test } from '@playwright/test';
import { writeFileSync } from 'node:fs';
import { signInAsGuest } from './signIn';

const RUNS = 3;

// What a person waits for on each page: the first live row, service,
// region or card. The Alerts page counts as ready with its list or its
// empty state, as no alert need be open.
const PAGES: Array<{ path: string; ready: (page: Page) => Locator }> = [
  {
    path: '/mesh',
    ready: page =>
      page.getByRole('button', { name: /^Service api-gateway in / }),
  },
  { path: '/traces-and-logs', ready: page => page.getByTestId('trace-row') },
  {
    path: '/traces-and-logs?tab=logs',
    ready: page => page.getByTestId('log-row'),
  },
  {
    path: '/alerts',
    ready: page =>
      page
        .getByTestId('alert-row')
        .or(page.getByText(/^No alerts (match|in this window)$/)),
  },
  { path: '/slos-and-kpis', ready: page => page.getByTestId('slo-card') },
  {
    path: '/regions',
    ready: page => page.getByTestId('region-row-eu-west-1'),
  },
  {
    path: '/zero-trust',
    ready: page => page.getByRole('list', { name: 'Risk score ranges' }),
  },
  {
    path: '/catalog/default/component/api-gateway/observability',
    ready: page =>
      page
        .getByRole('table', { name: 'Requests per region' })
        .getByRole('row')
        .nth(1),
  },
];

// Time from navigation until each page shows live data from the traffic
// generator, recorded, not asserted: `yarn bench:mesh`
// (scripts/measure-mesh-render.mjs) writes it to docs/benchmarks.md.
test('every portal page shows live data after navigation', async ({ page }) => {
  await signInAsGuest(page);

  const results: Array<{ path: string; timesMs: number[] }> = [];
  for (const target of PAGES) {
    const ready = () => target.ready(page).first();

    // The first visit waits for the traffic generator's first data.
    await page.goto(target.path);
    await expect(ready()).toBeVisible({ timeout: 60_000 });

    const timesMs: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const start = Date.now();
      await page.goto(target.path);
      await expect(ready()).toBeVisible();
      timesMs.push(Date.now() - start);
    }
    results.push({ path: target.path, timesMs });
  }

  expect(results).toHaveLength(PAGES.length);
  if (process.env.TMS_PAGES_BENCH_OUT) {
    writeFileSync(process.env.TMS_PAGES_BENCH_OUT, JSON.stringify(results));
  }
});
