import { mkdir, readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import axe from 'axe-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DEMO_DATA_CENTERS as DC, DEMO_GANSU_EARLY_H20 } from '@chip-ledger/demo-data';
import { DEVELOPMENT_JWT_SECRET, mintAccessToken } from '@chip-ledger/http';
import { bearer, createTestDatabase, launchChromium, startServiceProcess, type ServiceProcess, type TestDatabase } from '@chip-ledger/testing';

/*
 * The dashboard in a real Chromium, served by the standalone app (its own process, `main.ts --demo`, exactly as
 * `npm start -- --demo`) on the test run's PostgreSQL. Screenshots go to dist/apps/dashboard-e2e/.
 */
const workspace = path.resolve(__dirname, '../../..');
const ARTIFACTS = path.join(workspace, 'dist/apps/dashboard-e2e');
const BUNDLE = path.join(workspace, 'dist/apps/dashboard');
const GANSU_BREACH = `article[data-finding-id^="CN-STATE-FUNDED-DOMESTIC/${DC.gansuEarly}/"]`;
/** How long a page may take to show what the API answers (the CI machine is small and shared). */
const UI_TIMEOUT = 15_000;

describe('dashboard (Chromium)', () => {
  let database: TestDatabase;
  let server: ServiceProcess;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const consoleErrors: string[] = [];

  const shoot = (name: string, target: Page = page) => target.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
  const watchConsole = (target: Page, into: string[]) => {
    target.on('console', (message) => message.type() === 'error' && into.push(`${message.text()} (${message.location().url})`));
    target.on('pageerror', (error) => into.push(`uncaught: ${error.message}`));
  };
  const seriousViolations = async (target: Page) => {
    // Judge the page at rest, not between a live reload's request and its answer.
    await target.waitForFunction(() => document.querySelector('[aria-busy="true"]') === null, undefined, { timeout: UI_TIMEOUT });
    // Evaluated through the DevTools protocol, so the page's content security policy does not stop it.
    await target.evaluate(axe.source);
    const results = await target.evaluate(() =>
      (window as unknown as { axe: typeof axe }).axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }),
    );
    return results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join('; ')})`);
  };

  beforeAll(async () => {
    await mkdir(ARTIFACTS, { recursive: true });
    database = await createTestDatabase('dashboard_e2e');
    // The embedded form with the development secret (the sign-in the page offers exists only there).
    server = await startServiceProcess('apps/standalone/src/main.ts', { DATABASE_URL: database.url, CHIPLEDGER_DEMO: '1', KAFKA_BROKERS: undefined, JWT_SECRET: undefined, NODE_ENV: undefined });
    const deadline = Date.now() + 60_000;
    while (!server.output().includes('Demo data ready')) {
      if (server.output().includes('Demo data could not be loaded') || Date.now() > deadline) throw new Error(`the demo did not load:\n${server.output().slice(-3000)}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
    page = await context.newPage();
    watchConsole(page, consoleErrors);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await database?.drop();
  });

  it('asks a newcomer to sign in, and the development sign-in leads to the fleet with findings of every severity', async () => {
    await page.goto(`${server.baseUrl}/`);
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor({ timeout: UI_TIMEOUT });
    expect(await seriousViolations(page)).toEqual([]);
    await shoot('sign-in');

    await page.getByRole('button', { name: 'Sign in as auditor' }).click();
    await page.getByRole('heading', { level: 1, name: 'Fleet' }).waitFor({ timeout: UI_TIMEOUT });
    const table = page.locator('table[aria-labelledby="fleet-table"] tbody tr');
    await table.nth(Object.keys(DC).length - 1).waitFor({ timeout: UI_TIMEOUT });
    expect(await table.count()).toBe(Object.keys(DC).length);
    const totals = page.locator('.total-findings');
    for (const severity of ['breach', 'review', 'risk']) expect(await totals.locator(`[data-severity="${severity}"]`).count()).toBe(1);
    expect(await page.locator('.live-status').getAttribute('data-state')).toMatch(/live|connecting/);
    await page.locator('.live-status[data-state="live"]').waitFor({ timeout: UI_TIMEOUT });
    expect(await seriousViolations(page)).toEqual([]);
    await shoot('fleet');
  });

  it('sorts and filters the fleet table from the keyboard', async () => {
    await page.getByRole('combobox', { name: 'Funding' }).selectOption('state-funded');
    const rows = page.locator('table[aria-labelledby="fleet-table"] tbody tr');
    await page.getByText('2 of 6 data centers').waitFor({ timeout: UI_TIMEOUT });
    expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-data-center-id')).sort())).toEqual([DC.gansuAdvanced, DC.gansuEarly].sort());

    const completion = page.getByRole('button', { name: /Completion/ });
    await completion.focus();
    await page.keyboard.press('Enter');
    expect(await page.locator('th[aria-sort="descending"]').innerText()).toContain('COMPLETION');
    expect(await rows.first().getAttribute('data-data-center-id')).toBe(DC.gansuAdvanced);
    await page.keyboard.press('Enter');
    expect(await rows.first().getAttribute('data-data-center-id')).toBe(DC.gansuEarly);
    await page.getByRole('combobox', { name: 'Funding' }).selectOption('any');
  });

  it('finds the Gansu mandate breach on the early-phase site', async () => {
    await page.getByRole('link', { name: 'Qingyang compute hub, phase 1' }).click();
    await page.getByRole('heading', { level: 1, name: 'Qingyang compute hub, phase 1' }).waitFor({ timeout: UI_TIMEOUT });
    const breach = page.locator(`[data-testid="open-findings"] ${GANSU_BREACH}`);
    await breach.waitFor({ timeout: UI_TIMEOUT });
    expect(await breach.locator('.badge').innerText()).toBe('Breach');
    expect(await breach.innerText()).toContain('under the 30% line');
    expect(await breach.innerText()).toContain(`${DEMO_GANSU_EARLY_H20} × nvidia-h20`);
    expect(await breach.innerText()).toContain('2025-11-05 → open');
    // The licence the H20 came under, drawn down by both Gansu sites.
    expect(await page.getByRole('img', { name: /1,536 of 2,000 authorised used, 464 remaining/ }).count()).toBe(1);
    expect(await seriousViolations(page)).toEqual([]);
    await shoot('data-center');
  });

  /** Moves the time slider (a range of days from its first day) to `date`, as a drag or the keyboard would. */
  const slideTo = async (target: Page, date: string) => {
    const slider = target.getByRole('slider', { name: /Day to view/ });
    const first = await target.locator('.time-slider-ends span').first().innerText();
    const days = Math.round((Date.parse(`${date}T00:00:00Z`) - Date.parse(`${first}T00:00:00Z`)) / 86_400_000);
    await slider.fill(String(days));
    expect(await slider.getAttribute('aria-valuetext')).toBe(date);
  };

  it('moves the view to 2025-11-04 with the time slider: the mandate breach is gone, and so is the rule', async () => {
    await slideTo(page, '2025-11-04');
    await page.locator('.live-status[data-state="as-of"]').waitFor({ timeout: UI_TIMEOUT });
    expect(await page.locator('.live-status').innerText()).toBe('As of 2025-11-04');
    await page.getByRole('heading', { level: 2, name: 'Findings open on 2025-11-04' }).waitFor({ timeout: UI_TIMEOUT });
    await page.waitForFunction(() => document.querySelector('[aria-busy="true"]') === null, undefined, { timeout: UI_TIMEOUT });
    expect(await page.locator(GANSU_BREACH).count()).toBe(0);
    const rules = page.getByTestId('rules-in-force');
    await rules.getByRole('heading', { name: /Rules in force on 2025-11-04/ }).waitFor({ timeout: UI_TIMEOUT });
    expect(await rules.locator('[data-rule-id="CN-STATE-FUNDED-DOMESTIC"]').count()).toBe(0);
    expect(await rules.locator('[data-rule-id="US-3A090-LICENCE"]').count()).toBe(1);
    // The 512 H20 were there already: the chip mix of that day, and the day marked on the mix over time.
    expect(await page.getByTestId('chart-mix-origin').getAttribute('aria-label')).toContain('2025-09-01: Foreign 512');
    expect(await seriousViolations(page)).toEqual([]);
    await shoot('data-center-as-of');

    // A day later the rule is in force and judges the same chips.
    await slideTo(page, '2025-11-05');
    await page.locator(`[data-testid="open-findings"] ${GANSU_BREACH}`).waitFor({ timeout: UI_TIMEOUT });
    expect(await page.locator(GANSU_BREACH).innerText()).toContain('open on 2025-11-05');

    // The fleet follows the same view time.
    await slideTo(page, '2025-11-04');
    await page.getByRole('heading', { level: 2, name: 'Findings open on 2025-11-04' }).waitFor({ timeout: UI_TIMEOUT });
    await page.getByRole('link', { name: 'Fleet', exact: true }).first().click();
    await page.getByRole('heading', { level: 1, name: 'Fleet' }).waitFor({ timeout: UI_TIMEOUT });
    const qingyang = page.locator(`table[aria-labelledby="fleet-table"] tr[data-data-center-id="${DC.gansuEarly}"]`);
    await qingyang.waitFor({ timeout: UI_TIMEOUT });
    expect(await qingyang.locator('td').last().innerText()).toBe('None open');
    expect(await page.locator('.total-findings [data-severity="breach"]').count()).toBe(0);
    expect(await page.locator('.live-status').innerText()).toBe('As of 2025-11-04');
    expect(await seriousViolations(page)).toEqual([]);
    await shoot('fleet-as-of');

    // Back to live: the change stream opens again and the breach is back.
    await page.getByRole('button', { name: 'Back to live' }).click();
    await page.locator('.live-status[data-state="live"]').waitFor({ timeout: UI_TIMEOUT });
    await page.getByRole('link', { name: 'Qingyang compute hub, phase 1' }).click();
    await page.locator(`[data-testid="open-findings"] ${GANSU_BREACH}`).waitFor({ timeout: UI_TIMEOUT });
    expect(await page.locator(GANSU_BREACH).innerText()).toContain('2025-11-05 → open');
  });

  it("opens a finding's evidence and lands on the event in the audit history", async () => {
    const link = page.locator(`[data-testid="open-findings"] ${GANSU_BREACH} .evidence-list a`).last();
    const eventId = await link.getAttribute('data-event-id');
    expect(eventId).toMatch(/^[0-9a-f-]{36}$/);
    await link.click();
    await page.locator(`[data-testid="event"][data-event-id="${eventId}"]`).waitFor({ timeout: UI_TIMEOUT });
    expect(new URL(page.url()).hash).toBe(`#/events/${eventId}`);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('ChipsInstalled');
    await page.locator(`.stream-history tr[aria-current="true"][data-event-id="${eventId}"]`).waitFor({ timeout: UI_TIMEOUT });
    expect(await page.locator('.event-data').innerText()).toContain(`"quantity": ${DEMO_GANSU_EARLY_H20}`);
    expect(await seriousViolations(page)).toEqual([]);
    await shoot('event');

    // Reachable by its address alone, and back to the data center from the event.
    await page.goto(`${server.baseUrl}/#/fleet`);
    await page.goto(`${server.baseUrl}/#/events/${eventId}`);
    await page.locator(`[data-testid="event"][data-event-id="${eventId}"]`).waitFor({ timeout: UI_TIMEOUT });
    await page.getByRole('link', { name: DC.gansuEarly }).click();
    await page.getByRole('heading', { level: 1, name: 'Qingyang compute hub, phase 1' }).waitFor({ timeout: UI_TIMEOUT });
  });

  it('closes the finding live, without a reload, when a removal of every H20 is recorded through the API', async () => {
    await page.locator('.live-status[data-state="live"]').waitFor({ timeout: UI_TIMEOUT });
    await page.evaluate(() => ((window as unknown as { sameDocument: boolean }).sameDocument = true));
    const removal = await fetch(`${server.baseUrl}/data-centers/${DC.gansuEarly}/removals`, {
      method: 'POST',
      headers: { authorization: bearer('operator', 'gansu-compute'), 'content-type': 'application/json' },
      body: JSON.stringify({ modelId: 'nvidia-h20', quantity: DEMO_GANSU_EARLY_H20, reason: 'remediation', occurredAt: '2026-03-02' }),
    });
    expect(removal.status).toBe(201);

    await page.locator(`[data-testid="open-findings"] ${GANSU_BREACH}`).waitFor({ state: 'detached', timeout: UI_TIMEOUT });
    const closed = page.locator(`[data-testid="closed-findings"] ${GANSU_BREACH}`);
    expect(await closed.count()).toBe(1);
    expect(await closed.getAttribute('data-status')).toBe('closed');
    expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true);
    await page.locator('[data-testid="closed-findings"] summary').click();
    expect(await closed.innerText()).toContain('2025-11-05 → 2026-03-02');
    await shoot('data-center-after-removal');
  });

  it('lists every open finding by rule and severity, with acknowledgement status', async () => {
    await page.getByRole('link', { name: 'Findings', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Open findings' }).waitFor({ timeout: UI_TIMEOUT });
    const rows = page.locator('.findings-table tbody tr');
    await rows.first().waitFor({ timeout: UI_TIMEOUT });
    // The demo's eight, less the breach the removal closed.
    expect(await rows.count()).toBe(7);
    const ascend = page.locator('.summary-table tbody tr', { hasText: 'US-PRC-3A090-USE' });
    expect(await ascend.locator('td').last().innerText()).toBe('1 of 1');
    await page.getByRole('combobox', { name: 'Severity' }).selectOption('breach');
    await page.getByText('3 of 7 open findings').waitFor({ timeout: UI_TIMEOUT });
    expect(await seriousViolations(page)).toEqual([]);
    await shoot('findings');
  });

  it('logged no console errors on the way', () => {
    expect(consoleErrors).toEqual([]);
  });

  it('signs a pasted token out when it expires, and says why', async () => {
    // A browser of its own: nothing stored, and a session apart from the other tests'.
    const elsewhere = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const other = await elsewhere.newPage();
    try {
      await other.goto(`${server.baseUrl}/`);
      const token = mintAccessToken({ sub: 'viewer@gansu-compute', org: 'gansu-compute', role: 'viewer' }, DEVELOPMENT_JWT_SECRET, 8);
      await other.getByLabel('Bearer token').fill(token);
      await other.getByRole('button', { name: 'Use this token' }).click();
      await other.getByRole('heading', { level: 1, name: 'Fleet' }).waitFor({ timeout: UI_TIMEOUT });
      // A viewer sees its own organisation's two sites only.
      await other.locator('table[aria-labelledby="fleet-table"] tbody tr').nth(1).waitFor({ timeout: UI_TIMEOUT });
      expect(await other.locator('table[aria-labelledby="fleet-table"] tbody tr').count()).toBe(2);
      await other.getByText('Your token has expired or was refused. Sign in again.').waitFor({ timeout: UI_TIMEOUT });
      expect(await other.getByRole('heading', { level: 1 }).innerText()).toBe('Sign in');
      await shoot('token-expired', other);
    } finally {
      await elsewhere.close();
    }
  });

  it("tells a viewer plainly when the API refuses another organisation's event", async () => {
    const history = await fetch(`${server.baseUrl}/audit/data-centers/${DC.hangzhou}/history?limit=1`, { headers: { authorization: bearer('auditor', 'ledger-audit') } });
    expect(history.status).toBe(200);
    const [elsewhereEvent] = ((await history.json()) as { items: { eventId: string }[] }).items;
    const elsewhere = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const other = await elsewhere.newPage();
    try {
      await other.goto(`${server.baseUrl}/`);
      await other.getByLabel('Bearer token').fill(mintAccessToken({ sub: 'viewer@gansu-compute', org: 'gansu-compute', role: 'viewer' }, DEVELOPMENT_JWT_SECRET, 600));
      await other.getByRole('button', { name: 'Use this token' }).click();
      await other.getByRole('heading', { level: 1, name: 'Fleet' }).waitFor({ timeout: UI_TIMEOUT });
      await other.goto(`${server.baseUrl}/#/events/${elsewhereEvent.eventId}`);
      const refusal = other.getByRole('alert');
      await refusal.waitFor({ timeout: UI_TIMEOUT });
      expect(await refusal.innerText()).toContain('your organisation may not see it');
      expect(await seriousViolations(other)).toEqual([]);
      await shoot('event-refused', other);
    } finally {
      await elsewhere.close();
    }
  });

  it('says so when the API goes away, instead of going blank', async () => {
    await page.getByRole('link', { name: 'Fleet', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Fleet' }).waitFor({ timeout: UI_TIMEOUT });
    // With the page open and following the change stream, SIGTERM still stops the server at once (it would be
    // SIGKILLed after 15 s).
    const stopping = Date.now();
    await server.stop();
    expect(Date.now() - stopping).toBeLessThan(10_000);
    await page.locator('.live-status[data-state="reconnecting"]').waitFor({ timeout: UI_TIMEOUT });
    await page.getByRole('link', { name: 'Findings', exact: true }).click();
    // On the findings page itself: the fleet page may show the same error state for a moment before it goes (one CI
    // run read its heading, then counted the buttons of the findings page still loading).
    await page.getByRole('heading', { level: 1, name: 'Open findings' }).waitFor({ timeout: UI_TIMEOUT });
    const errorState = page.locator('.state-error').filter({ hasText: 'The Chip Ledger API does not answer' });
    await errorState.getByRole('button', { name: 'Try again' }).waitFor({ timeout: UI_TIMEOUT });
    expect(await page.getByRole('button', { name: 'Try again' }).count()).toBe(1);
    await shoot('api-down');
  });

  it('weighs under 500 KB gzip, everything the page loads included', async () => {
    const files = [path.join(BUNDLE, 'index.html'), ...(await readdir(path.join(BUNDLE, 'assets'))).map((f) => path.join(BUNDLE, 'assets', f))];
    let gzipped = 0;
    for (const file of files) if ((await stat(file)).isFile()) gzipped += gzipSync(await readFile(file), { level: 9 }).length;
    console.log(`dashboard bundle: ${files.length} files, ${(gzipped / 1024).toFixed(1)} KB gzip`);
    expect(gzipped).toBeLessThan(500 * 1024);
  });
});
