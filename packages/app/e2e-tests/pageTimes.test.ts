import { expect, test } from '@playwright/test';
import { writeFileSync } from 'node:fs';
import { signInAsGuest } from './signIn';

const RUNS = 3;

// What a person waits for on each page: the first live row or service.
const PAGES = [
  { path: '/mesh', ready: 'Service api-gateway in ' },
  { path: '/traces-and-logs', testId: 'trace-row' },
  { path: '/traces-and-logs?tab=logs', testId: 'log-row' },
];

// Time from navigation until each page shows live data from the traffic
// generator, recorded, not asserted: `yarn bench:mesh`
// (scripts/measure-mesh-render.mjs) writes it to docs/benchmarks.md.
test('the observability pages show live data after navigation', async ({
  page,
}) => {
  await signInAsGuest(page);

  const results: Array<{ path: string; timesMs: number[] }> = [];
  for (const target of PAGES) {
    const ready = () =>
      target.testId
        ? page.getByTestId(target.testId).first()
        : page.getByRole('button', { name: target.ready }).first();

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
