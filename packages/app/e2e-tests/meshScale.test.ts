import { expect, test } from '@playwright/test';
import { writeFileSync } from 'node:fs';
import { syntheticServiceGraph } from '@internal/backstage-plugin-observability/testUtils';
import { signInAsGuest } from './signIn';

const SERVICES = 300;
const RUNS = 5;

// The mesh page with a synthetic mesh of 300 services in place of the
// engine's answer. The time from navigation to the first services drawn is
// recorded, not asserted: `yarn bench:mesh` (scripts/measure-mesh-render.mjs)
// runs this test and writes the figure to docs/benchmarks.md.
test(`the mesh page renders ${SERVICES} services`, async ({
  page,
}, testInfo) => {
  const graph = syntheticServiceGraph(SERVICES);
  graph.to = new Date().toISOString();
  graph.from = new Date(Date.now() - 15 * 60_000).toISOString();
  // When the graph was last handed to the page: the time after it is the
  // page's own work (layout and drawing), without loading the app.
  let answeredAt = 0;
  await page.route('**/api/observability/service-graph**', async route => {
    await route.fulfill({ json: graph });
    answeredAt ||= Date.now();
  });

  await signInAsGuest(page);

  const timesMs: number[] = [];
  const drawMs: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    answeredAt = 0;
    const start = Date.now();
    await page.goto('/mesh');
    await expect(
      page.getByText(`${SERVICES} services, ${graph.edges.length} calls`, {
        exact: false,
      }),
    ).toBeVisible();
    await expect(
      page.getByRole('button', { name: /^Service svc-/ }).first(),
    ).toBeVisible();
    const end = Date.now();
    timesMs.push(end - start);
    drawMs.push(end - answeredAt);
  }

  await expect(page.getByTestId('mesh-graph')).toHaveAttribute(
    'data-nodes',
    String(SERVICES),
  );
  // Selecting a node still works at this size.
  await page
    .getByRole('button', { name: /^Service svc-/ })
    .first()
    .click();
  await expect(
    page.getByRole('complementary', { name: 'Selection details' }),
  ).toBeVisible();
  await page.screenshot({
    path: testInfo.outputPath('mesh-300-services.png'),
    fullPage: true,
  });

  const result = {
    services: SERVICES,
    edges: graph.edges.length,
    timesMs,
    drawMs,
  };
  testInfo.annotations.push({
    type: 'mesh-render-ms',
    description: timesMs.join(', '),
  });
  if (process.env.TMS_MESH_BENCH_OUT) {
    writeFileSync(process.env.TMS_MESH_BENCH_OUT, JSON.stringify(result));
  }
});
