import { expect, Locator, Page, test } from '@playwright/test';
import { randomBytes } from 'node:crypto';
import { signInAsGuest } from './signIn';

// The portal scrolls inside its content pane, so a full-page screenshot is
// one viewport: a tall one shows each page whole.
test.use({ viewport: { width: 1440, height: 2000 } });

// The static token app-config.e2e.yaml gives the suite. The embedded
// engine names no observability.ingest.allowedServices, so any service
// subject may export telemetry, as a TMS service does.
const SERVICE_TOKEN =
  process.env.TMS_E2E_SERVICE_TOKEN ?? 'tms-e2e-service-token-for-tests';

// The page polls every 10 seconds; the record is stored before the export
// answers, so one or two polls are enough.
const SHOWN_TIMEOUT = 30_000;

/**
 * Telemetry text as an attacker would send it. Were it rendered as HTML
 * (dangerouslySetInnerHTML, innerHTML), the DOM would gain an img with
 * src="x", a script element and a <b class="tms-injected">, and the visible
 * text would lose the tags; rendered as text, none of these exist and the
 * tags are what the user reads. `where` and the marker make each copy
 * findable on its own.
 */
function payload(where: string, marker: string) {
  return (
    `<img src=x onerror="window.__tmsInjected=1">` +
    `<script>window.__tmsInjected=2</script>` +
    `<b class="tms-injected">bold</b> ${where} ${marker}`
  );
}

const hex = (bytes: number) => randomBytes(bytes).toString('hex');
const nowNanos = (offsetMs = 0) =>
  ((BigInt(Date.now()) + BigInt(offsetMs)) * 1_000_000n).toString();

/**
 * What of the payload became markup in the page. The inline handler would
 * in any case be stopped by the backend's Content-Security-Policy (no
 * inline script attributes), so the elements in the DOM are the real
 * evidence; `__tmsInjected` is a second check, for a page served without
 * that policy. Read once, not retried: the callers first wait for the
 * payload's text, so the page has rendered it by then.
 */
async function injectedMarkup(page: Page) {
  return {
    images: await page.locator('img[src="x"]').count(),
    bold: await page.locator('b.tms-injected').count(),
    // Playwright's text matching skips script contents, so the scripts are
    // read in the page.
    ...(await page.evaluate(() => ({
      scripts: Array.from(document.scripts).filter(script =>
        script.text.includes('__tmsInjected'),
      ).length,
      flag:
        (window as unknown as Record<string, unknown>).__tmsInjected ?? null,
    }))),
  };
}

async function expectNoInjectedMarkup(page: Page) {
  expect(await injectedMarkup(page)).toEqual({
    images: 0,
    bold: 0,
    scripts: 0,
    flag: null,
  });
}

/** The payload as a text node of its own, the whole of the element's text. */
async function expectShownAsText(scope: Locator, text: string) {
  await expect(scope.getByText(text, { exact: true }).first()).toBeVisible({
    timeout: SHOWN_TIMEOUT,
  });
}

test('log messages, span names and attribute values with HTML or script render as text', async ({
  page,
  request,
}, testInfo) => {
  const marker = `tmsxss${Date.now().toString(36)}${hex(4)}`;
  const service = `xss-probe-${marker}`;
  const traceId = hex(16);
  const rootSpanId = hex(8);
  const childSpanId = hex(8);

  const logBody = payload('log body', marker);
  const rootName = payload('root span name', marker);
  const childName = payload('child span name', marker);
  const attributeValue = payload('attribute value', marker);
  const resourceValue = payload('resource attribute', marker);
  const eventName = payload('event name', marker);
  const statusMessage = payload('status message', marker);

  const resource = {
    attributes: [
      { key: 'service.name', value: { stringValue: service } },
      { key: 'tms.probe.resource', value: { stringValue: resourceValue } },
    ],
  };

  // Internal spans: the probe must not count as requests of a service in
  // the RED numbers the other tests read.
  const traces = await request.post('/api/observability/v1/traces', {
    headers: { Authorization: `Bearer ${SERVICE_TOKEN}` },
    data: {
      resourceSpans: [
        {
          resource,
          scopeSpans: [
            {
              spans: [
                {
                  traceId,
                  spanId: rootSpanId,
                  name: rootName,
                  kind: 1,
                  startTimeUnixNano: nowNanos(-80),
                  endTimeUnixNano: nowNanos(),
                  attributes: [
                    {
                      key: 'tms.probe.value',
                      value: { stringValue: attributeValue },
                    },
                  ],
                },
                {
                  traceId,
                  spanId: childSpanId,
                  parentSpanId: rootSpanId,
                  name: childName,
                  kind: 1,
                  startTimeUnixNano: nowNanos(-60),
                  endTimeUnixNano: nowNanos(-20),
                  status: { code: 2, message: statusMessage },
                  events: [{ timeUnixNano: nowNanos(-40), name: eventName }],
                },
              ],
            },
          ],
        },
      ],
    },
  });
  expect(traces.status()).toBe(200);
  // Nothing rejected: a partial success would leave the page nothing to
  // show and the test nothing to check.
  expect(await traces.json()).toEqual({});

  const logs = await request.post('/api/observability/v1/logs', {
    headers: { Authorization: `Bearer ${SERVICE_TOKEN}` },
    data: {
      resourceLogs: [
        {
          resource,
          scopeLogs: [
            {
              logRecords: [
                {
                  timeUnixNano: nowNanos(),
                  severityNumber: 13,
                  severityText: 'WARN',
                  body: { stringValue: logBody },
                  traceId,
                  spanId: rootSpanId,
                },
              ],
            },
          ],
        },
      ],
    },
  });
  expect(logs.status()).toBe(200);
  expect(await logs.json()).toEqual({});

  await signInAsGuest(page);

  // The logs tab, searching for the marker.
  await page.goto(`/traces-and-logs?tab=logs&q=${marker}`);
  const logRow = page.getByTestId('log-row').filter({ hasText: marker });
  await expect(logRow).toHaveCount(1, { timeout: SHOWN_TIMEOUT });
  await expectShownAsText(logRow, logBody);
  await expectNoInjectedMarkup(page);
  await page.screenshot({
    path: testInfo.outputPath('log-markup-as-text.png'),
    fullPage: true,
  });

  // The trace list of the probe's service: the root span's name is the
  // operation.
  await page.goto(`/traces-and-logs?tab=traces&service=${service}`);
  const traceRow = page.getByTestId('trace-row');
  await expect(traceRow).toHaveCount(1, { timeout: SHOWN_TIMEOUT });
  await expectShownAsText(traceRow, rootName);
  await expectNoInjectedMarkup(page);

  // The trace by its id: the waterfall and the selected span's details.
  await traceRow.getByRole('link', { name: `Open trace ${traceId}` }).click();
  await expect(page).toHaveURL(new RegExp(`trace=${traceId}`));
  const spans = page
    .getByRole('tree', { name: 'Span waterfall' })
    .getByTestId('span-row');
  await expect(spans).toHaveCount(2, { timeout: SHOWN_TIMEOUT });
  // A waterfall label is the service and the span name together.
  await expect(spans.nth(0)).toContainText(rootName);
  await expect(spans.nth(1)).toContainText(childName);

  // The root span is selected first.
  const details = page.getByRole('region', { name: 'Span attributes' });
  await expectShownAsText(details, rootName);
  await expectShownAsText(details, attributeValue);
  await expectShownAsText(details, resourceValue);
  await expectNoInjectedMarkup(page);
  await page.screenshot({
    path: testInfo.outputPath('trace-markup-as-text.png'),
    fullPage: true,
  });

  await spans.nth(1).click();
  await expectShownAsText(details, childName);
  await expectShownAsText(details, `error: ${statusMessage}`);
  await expectShownAsText(details, eventName);
  await expectShownAsText(details, resourceValue);
  await expectNoInjectedMarkup(page);
  await page.screenshot({
    path: testInfo.outputPath('span-markup-as-text.png'),
    fullPage: true,
  });

  // The same payload put into the page as HTML must trip the checks
  // above, or their passing proves nothing.
  await page.evaluate(html => {
    const control = document.createElement('div');
    control.id = 'tms-markup-control';
    control.innerHTML = html;
    document.body.append(control);
  }, logBody);
  const control = page.locator('#tms-markup-control');
  await expect(control.getByText(logBody, { exact: true })).toHaveCount(0);
  expect(await injectedMarkup(page)).toMatchObject({
    images: 1,
    bold: 1,
    scripts: 1,
  });
  await control.evaluate(element => element.remove());
});
