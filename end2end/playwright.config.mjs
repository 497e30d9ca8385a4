// Playwright drives Debian's Chromium (never a downloaded browser) against the release server,
// which the config starts on a fresh SQLite database with the demo city.
import { defineConfig } from '@playwright/test';

const port = Number(process.env.KEZEK_E2E_PORT || 3999);
const baseURL = `http://127.0.0.1:${port}`;
const launchOptions = {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
  ],
};

export default defineConfig({
  testDir: './tests',
  timeout: 60_000,
  expect: { timeout: 15_000 },
  retries: 0,
  workers: 2,
  reporter: [['list']],
  use: { baseURL, launchOptions, locale: 'en-US', trace: 'off' },
  projects: [
    { name: 'js', use: { javaScriptEnabled: true } },
    { name: 'nojs', use: { javaScriptEnabled: false } },
    { name: 'phone', use: { javaScriptEnabled: true, viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true } },
  ],
  webServer: {
    // The server's log goes to a file the test script scans for IINs afterwards.
    command: `${process.env.KEZEK_BIN || '../target/release/kezek'} 2>> ${process.env.KEZEK_E2E_DIR || '/tmp/kezek-e2e'}/server.log`,
    url: `${baseURL}/healthz`,
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: 'ignore',
    stderr: 'pipe',
    env: {
      KEZEK_ADDR: `127.0.0.1:${port}`,
      KEZEK_SEED_DEMO: '1',
      // Dev mode: the dev CA and the dev people (sign-in without a national certificate).
      KEZEK_DEV: '1',
      // Every test signs in from 127.0.0.1: the per-address sign-in limit is raised (the HTTP
      // tests check the default).
      KEZEK_RATE_SIGN_IN: '1000/1',
      // No tile server (tests reach loopback only): the map draws its markers on a plain ground.
      KEZEK_MAP_TILES: '',
      KEZEK_DATA_DIR: process.env.KEZEK_E2E_DIR || '/tmp/kezek-e2e',
      DATABASE_URL: process.env.KEZEK_E2E_DATABASE_URL || `sqlite://${process.env.KEZEK_E2E_DIR || '/tmp/kezek-e2e'}/kezek.db`,
      LEPTOS_SITE_ROOT: process.env.LEPTOS_SITE_ROOT || '../target/site',
      RUST_LOG: 'info,sqlx=warn',
    },
  },
});
