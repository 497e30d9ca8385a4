// The open queue's pages, for anyone: the statistics (their figures against the database, each
// chart with its table), the position look-up and the protocols (filters, pages, the staff
// member's child standing out), with JavaScript and without, on a phone, axe-core, screenshots.
import { test, expect } from '@playwright/test';
import { axe, sql } from './helpers.mjs';

const hydrated = async (page, testInfo) => {
  if (testInfo.project.use.javaScriptEnabled !== false) {
    await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
  }
};
const digits = (s) => Number(s.replace(/\D/g, ''));

test('the statistics agree with the database and every chart has its table', async ({ page }, testInfo) => {
  const lang = testInfo.project.name === 'phone' ? 'kk' : 'ru';
  await page.context().addCookies([{ name: 'kezek_lang', value: lang, url: testInfo.project.use.baseURL }]);
  const waitingInDb = () => sql(`SELECT COUNT(*) FROM applications WHERE status IN ('waiting', 'invited')`)[0][0];
  const before = waitingInDb();
  await page.goto('/statistics');
  await hydrated(page, testInfo);
  const after = waitingInDb();
  // A reading is shared for up to 15 s: the figure lies between the counts around it, give or
  // take what the other tests changed in that while.
  const waiting = digits(await page.locator('[data-testid="waiting"]').innerText());
  expect(Math.abs(waiting - before) + Math.abs(waiting - after)).toBeLessThan(100);
  expect(waiting).toBeGreaterThan(64000);
  // Seven charts, each an SVG with a table of as many rows as it has bars.
  const charts = page.locator('figure.chart');
  await expect(charts).toHaveCount(7);
  for (let i = 0; i < 7; i++) {
    const chart = charts.nth(i);
    const rows = await chart.locator('tbody tr').count();
    expect(rows).toBeGreaterThan(0);
    expect(await chart.locator('svg rect.bar').count()).toBe(rows);
  }
  // By year of birth, the rows add up to the children waiting; the daily chart has 30 days.
  const byCohort = await page.locator('#by-cohort tbody td').allTextContents();
  expect(byCohort.map(digits).reduce((a, b) => a + b, 0)).toBe(waiting);
  await expect(page.locator('#daily tbody tr')).toHaveCount(30);
  await expect(page.locator('#weekly tbody tr')).toHaveCount(12);
  // Free seats: the rows by year add up to the total, and the total is the database's as of a
  // moment ago (other tests post seats meanwhile, and a reading is shared for 15 s; the exact
  // agreement on both databases is app/tests/public.rs).
  const free = digits(await page.locator('[data-testid="free"]').innerText());
  const freeRows = await page.locator('#free-by-cohort tbody td').allTextContents();
  expect(freeRows.map(digits).reduce((a, b) => a + b, 0)).toBe(free);
  const freeInDb = sql('SELECT SUM(s.free) FROM seats s JOIN kindergartens k ON k.id = s.kindergarten_id WHERE k.in_queue')[0][0];
  expect(Math.abs(free - freeInDb)).toBeLessThanOrEqual(Math.max(100, freeInDb / 5));
  // Nothing personal: no child's name on the page.
  const [[name]] = sql(`SELECT child_name FROM applications WHERE status = 'waiting' LIMIT 1`);
  expect(await page.content()).not.toContain(name);
  if (testInfo.project.name !== 'nojs') await axe(page);
  const phone = testInfo.project.name === 'phone';
  if (testInfo.project.name !== 'nojs') {
    await page.screenshot({ path: `screenshots/${phone ? 'phone' : 'desktop'}-statistics-${lang}.png`, fullPage: !phone });
  }
  if (phone) expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
});

test('anyone looks up a place by the application number, and nothing personal is shown', async ({ page }, testInfo) => {
  await page.context().addCookies([{ name: 'kezek_lang', value: 'kk', url: testInfo.project.use.baseURL }]);
  const [[no, name, iin]] = sql(`SELECT public_no, child_name, child_iin FROM applications WHERE status = 'waiting' ORDER BY id LIMIT 1`);
  await page.goto('/position');
  await hydrated(page, testInfo);
  await page.fill('#p-no', no);
  await page.click('.position-form button');
  await expect(page).toHaveURL(new RegExp(`no=${no}`));
  const found = page.locator('[data-testid="found"]');
  await expect(found).toContainText(no);
  await expect(found.locator('[data-testid="position"]')).toBeVisible();
  const html = await page.content();
  expect(html).not.toContain(name);
  expect(html).not.toContain(iin);
  if (testInfo.project.name !== 'nojs') await axe(page);
  if (testInfo.project.name === 'phone') await page.screenshot({ path: 'screenshots/phone-position-kk.png' });
  // A number that is no application: said so, with a 404.
  const res = await page.goto('/position?no=ALM-1999-0000-0000');
  expect(res.status()).toBe(404);
  await expect(page.locator('[data-testid="no-such"]')).toContainText('Мұндай нөмірлі өтініш жоқ');
});

test('the seat postings protocol lists postings by kindergarten, district and day, fifty to a page', async ({ page, browser }, testInfo) => {
  test.skip(testInfo.project.name === 'phone', 'with JavaScript and without, on a desktop');
  // The department posts the number a group already has (a posting that changes no seat: no
  // other test's figures move), at a kindergarten no other test touches.
  const base = testInfo.project.use.baseURL;
  const admin = await browser.newContext();
  const signed = await admin.request.post(`${base}/auth/dev/sign-in`, { form: { iin: '700101470032', role: 'admin', next: '/' } });
  expect(signed.status()).toBe(200);
  const [[kg, number, district, cohort, free]] = sql(
    `SELECT k.id, k.number, k.district, s.cohort, s.free FROM kindergartens k JOIN seats s ON s.kindergarten_id = k.id
     WHERE k.in_queue AND k.id BETWEEN 200 AND 300 AND s.cohort = 2022 ORDER BY k.id LIMIT 1 OFFSET ?`,
    testInfo.project.name === 'js' ? 0 : 1);
  const posted = await admin.request.post(`${base}/api/head/seats`, { form: { kindergarten_id: kg, cohort, free } });
  expect(posted.status(), await posted.text()).toBe(200);
  await admin.close();

  const today = new Date(Date.now() + 5 * 3600e3).toISOString().slice(0, 10);
  await page.goto('/protocols/seats');
  await hydrated(page, testInfo);
  await page.selectOption('#f-district', district);
  await page.fill('#f-kindergarten', String(number));
  await page.fill('#f-day', today);
  await page.click('.protocol-filters button[type="submit"]');
  await expect(page).toHaveURL(new RegExp(`kindergarten=${number}`));
  const lines = page.locator('[data-testid="lines"] tbody tr');
  await expect(lines.first()).toHaveAttribute('data-kindergarten', String(number));
  await expect(lines.first()).toContainText(`${free} → ${free}`);
  const from = Date.parse(`${today}T00:00:00+05:00`);
  const inDb = sql('SELECT COUNT(*) FROM seat_postings WHERE kindergarten_id = ? AND at >= ? AND at < ?', kg, from, from + 86400e3)[0][0];
  expect(digits(await page.locator('[data-testid="total"]').innerText())).toBe(inDb);
  if (testInfo.project.name !== 'nojs') await axe(page);

  // The whole city's postings, fifty to a page; the next page follows.
  const postings = () => sql('SELECT COUNT(*) FROM seat_postings')[0][0];
  const before = postings();
  await page.goto('/protocols/seats');
  await hydrated(page, testInfo);
  const all = digits(await page.locator('[data-testid="total"]').innerText());
  // Other tests post seats meanwhile: the page's count lies between the counts around it.
  expect(all).toBeGreaterThanOrEqual(before);
  expect(all).toBeLessThanOrEqual(postings());
  if (all > 50) {
    await expect(lines).toHaveCount(50);
    await page.click('a[rel="next"]');
    await expect(page).toHaveURL(/page=2/);
  }

  // A day that is no date: a translated refusal, not a crash.
  const bad = await page.goto('/protocols/seats?day=23.11.2026');
  expect(bad.status()).toBe(400);
  await expect(page.locator('.alert')).toContainText('YYYY-MM-DD');
});
