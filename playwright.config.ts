import { defineConfig } from '@playwright/test';

// The browser suite runs the built frontend as the backend serves it, on a
// port of its own so that it never meets a developer's running portal.
const E2E_PORT = Number(process.env.TMS_E2E_PORT ?? 7017);

export default defineConfig({
  timeout: 90_000,

  expect: {
    timeout: 30_000,
  },

  webServer: {
    // The backend serves packages/app/dist, which scripts/run-tests.mjs
    // builds first. NODE_ENV=development is what allows guest sign-in.
    command:
      'yarn workspace backend start --config ../../app-config.yaml ' +
      '--config ../../packages/app/e2e-tests/app-config.e2e.yaml',
    url: `http://127.0.0.1:${E2E_PORT}/.backstage/health/v1/readiness`,
    env: { NODE_ENV: 'development', TMS_E2E_PORT: String(E2E_PORT) },
    reuseExistingServer: false,
    timeout: 180_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },

  // A focused test must never pass for the whole suite.
  forbidOnly: true,

  retries: process.env.CI ? 1 : 0,

  workers: 1,

  use: {
    baseURL: `http://127.0.0.1:${E2E_PORT}`,
    actionTimeout: 30_000,
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      // Playwright cannot download its own browser here; Debian's Chromium
      // is installed by ./portal test. Without background networking off,
      // Chromium keeps dialling hosts this network refuses.
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    },
  },

  outputDir: 'test-results/e2e',

  projects: [{ name: 'app', testDir: 'packages/app/e2e-tests' }],
});
