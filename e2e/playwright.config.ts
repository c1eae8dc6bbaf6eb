import { fileURLToPath } from 'node:url';
import { defineConfig } from '@playwright/test';

const repo = (path: string): string => fileURLToPath(new URL(`../${path}`, import.meta.url));

// Debian's Chromium (Playwright cannot download browsers here), flags for root in a container
// (TOOLCHAIN.md), one worker (faster than two on 2 cores, and the tests share one server whose
// controls act on every connection).
export default defineConfig({
  testDir: './tests',
  workers: 1,
  fullyParallel: false,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  globalSetup: './global-setup.ts',
  outputDir: repo('test-results'),
  reporter: [['list'], ['json', { outputFile: repo('.reports/playwright.json') }]],
  use: {
    browserName: 'chromium',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
    viewport: { width: 1100, height: 720 },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
});
