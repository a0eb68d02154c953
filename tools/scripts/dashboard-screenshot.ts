/**
 * `npm run screenshot`: the README's pictures of the dashboard on demo data, taken afresh. Starts the standalone app
 * exactly as `npm start -- --demo` does, on a throw-away embedded PostgreSQL, signs in as an auditor in a real
 * headless Chromium and writes docs/images/dashboard-*.png: the fleet, the Gansu early-phase site live (its mandate
 * breach) and the same site moved by the time slider to 2025-11-04, the day before the mandate.
 */
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DEMO_DATA_CENTERS } from '@chip-ledger/demo-data';
import { launchChromium, startServiceProcess } from '@chip-ledger/testing';

const root = path.resolve(__dirname, '../..');
const IMAGES = path.join(root, 'docs/images');
const TIMEOUT = 30_000;

async function main(): Promise<void> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'chip-ledger-screenshot-'));
  // mkdtemp makes it 0700: run as root, the embedded PostgreSQL (which drops to another user) could not enter it.
  await chmod(dataDir, 0o755);
  const server = await startServiceProcess('apps/standalone/src/main.ts', {
    CHIPLEDGER_DATA_DIR: dataDir,
    CHIPLEDGER_DEMO: '1',
    DATABASE_URL: undefined,
    KAFKA_BROKERS: undefined,
    JWT_SECRET: undefined,
    NODE_ENV: undefined,
  });
  const browser = await launchChromium();
  try {
    const deadline = Date.now() + TIMEOUT;
    while (!server.output().includes('Demo data ready')) {
      if (Date.now() > deadline || server.output().includes('Demo data could not be loaded')) throw new Error(`the demo did not load:\n${server.output().slice(-2000)}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const page = await browser.newPage({ viewport: { width: 1400, height: 1080 }, deviceScaleFactor: 1 });
    await page.goto(`${server.baseUrl}/`);
    await page.getByRole('button', { name: 'Sign in as auditor' }).click();
    await page.locator('table[aria-labelledby="fleet-table"] tbody tr').nth(Object.keys(DEMO_DATA_CENTERS).length - 1).waitFor({ timeout: TIMEOUT });
    await page.locator('.live-status[data-state="live"]').waitFor({ timeout: TIMEOUT });
    await page.screenshot({ path: path.join(IMAGES, 'dashboard-fleet.png') });
    await page.goto(`${server.baseUrl}/#/data-centers/${DEMO_DATA_CENTERS.gansuEarly}`);
    await page.locator('[data-testid="open-findings"] article').first().waitFor({ timeout: TIMEOUT });
    // The chip mix over time is drawn from the as-of answers once the history has been read.
    await page.getByTestId('chart-mix-origin').waitFor({ timeout: TIMEOUT });
    await page.screenshot({ path: path.join(IMAGES, 'dashboard-data-center.png'), fullPage: true });
    await page.getByLabel('Date').fill('2025-11-04');
    await page.getByRole('heading', { level: 2, name: 'Findings open on 2025-11-04' }).waitFor({ timeout: TIMEOUT });
    await page.getByTestId('chart-mix-origin').waitFor({ timeout: TIMEOUT });
    // A string, evaluated in the page: this script is compiled without the DOM's types.
    await page.waitForFunction('document.querySelector(\'[aria-busy="true"]\') === null', undefined, { timeout: TIMEOUT });
    await page.screenshot({ path: path.join(IMAGES, 'dashboard-data-center-as-of.png'), fullPage: true });
    console.log(`Wrote ${path.relative(root, IMAGES)}/dashboard-fleet.png, dashboard-data-center.png and dashboard-data-center-as-of.png`);
  } finally {
    await browser.close();
    await server.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error((error as Error).message);
  process.exit(1);
});
