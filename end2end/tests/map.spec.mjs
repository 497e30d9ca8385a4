// The live map on the demo city: its markers and list against the database, a seat posted from
// a second browser context appearing without a reload, the list without JavaScript, axe-core,
// and screenshots on a phone and a desktop in Kazakh and Russian.
import { test, expect } from '@playwright/test';
import { AxeBuilder } from '@axe-core/playwright';
import { sql } from './helpers.mjs';

/** The kindergartens of the queue with a free seat for `cohort` (and `district`), by id. */
function withSeats(cohort, district) {
  return sql(
    `SELECT DISTINCT s.kindergarten_id FROM seats s JOIN kindergartens k ON k.id = s.kindergarten_id
     WHERE k.in_queue AND s.cohort = ? AND s.free > 0 ${district ? 'AND k.district = ?' : ''} ORDER BY 1`,
    ...(district ? [cohort, district] : [cohort]),
  ).map((r) => r[0]);
}

const js = (testInfo) => testInfo.project.use.javaScriptEnabled !== false;
const hydrated = (page) => expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);

/** What the markers say: kindergartens with seats (green clusters' numbers plus green pins). */
async function markersWithSeats(page) {
  return page.evaluate(() => {
    let n = document.querySelectorAll('.kg-pin.free').length;
    document.querySelectorAll('.kg-cluster.free span').forEach((s) => { n += Number(s.textContent); });
    return n;
  });
}

async function listed(page) {
  return (await page.locator('[data-testid="places"] li').evaluateAll((lis) => lis.map((li) => Number(li.dataset.kindergarten)))).sort((a, b) => a - b);
}

test('the markers and the list are the kindergartens with a free seat for the age group, as in the database', async ({ page }, testInfo) => {
  test.skip(!js(testInfo), 'markers need JavaScript (the list alone is tested without)');
  // Born in 2023: no other test posts or takes seats of this age group.
  const expected = withSeats(2023);
  expect(expected.length).toBeGreaterThan(5);
  await page.goto('/map?cohort=2023');
  await hydrated(page);
  await expect(page.locator('[data-testid="places"] li')).toHaveCount(expected.length);
  expect(await listed(page)).toEqual(expected);
  await expect.poll(() => markersWithSeats(page)).toBe(expected.length);
  // The other kindergartens of the queue are there too, grey.
  const inQueue = sql('SELECT COUNT(*) FROM kindergartens WHERE in_queue')[0][0];
  await expect.poll(() => page.evaluate(() => {
    let n = document.querySelectorAll('.kg-pin.full').length;
    document.querySelectorAll('.kg-cluster.full span').forEach((s) => { n += Number(s.textContent); });
    return n;
  })).toBe(inQueue - expected.length);

  // A district narrows both, at once (no reload: the page stays live).
  await page.selectOption('#m-district', 'medeu');
  await expect(page).toHaveURL(/district=medeu/);
  const medeu = withSeats(2023, 'medeu');
  await expect(page.locator('[data-testid="places"] li')).toHaveCount(medeu.length);
  expect(await listed(page)).toEqual(medeu);
  await expect.poll(() => markersWithSeats(page)).toBe(medeu.length);

});

// Each browser project its own age group and kindergartens (the projects run at once).
const LIVE = { js: [2024, 400, 435], phone: [2025, 436, 470] };

test('a seat posted from a second browser context appears on the open map within a second', async ({ page, browser }, testInfo) => {
  test.skip(!js(testInfo), 'live updates need JavaScript');
  const [cohort, lo, hi] = LIVE[testInfo.project.name];
  // An age group with no free seat and room for two.
  const [[id, capacity, district]] = sql(
    `SELECT s.kindergarten_id, s.capacity, k.district FROM seats s JOIN kindergartens k ON k.id = s.kindergarten_id
     WHERE k.in_queue AND s.cohort = ? AND s.free = 0 AND s.kindergarten_id BETWEEN ? AND ?
     AND s.capacity - (SELECT COUNT(*) FROM referrals r WHERE r.kindergarten_id = s.kindergarten_id
                       AND r.cohort = s.cohort AND r.state = 'active') >= 2
     ORDER BY 1 LIMIT 1`, cohort, lo, hi);
  expect(capacity).toBeGreaterThan(1);
  // The map agrees with the database (whatever else changes meanwhile: expiries, other tests).
  const agrees = async () => (await markersWithSeats(page)) === withSeats(cohort, district).length;
  await page.goto(`/map?cohort=${cohort}&district=${district}`);
  await hydrated(page);
  await expect(page.locator('[data-testid="live"]')).toBeVisible();
  const item = page.locator(`[data-testid="places"] li[data-kindergarten="${id}"]`);
  await expect(item).toHaveCount(0);
  await expect.poll(agrees).toBe(true);

  // The education department, in another browser, posts two seats.
  const other = await browser.newContext();
  const signed = await other.request.post('/auth/dev/sign-in', { form: { iin: '700101470032', role: 'admin', next: '/' } });
  expect(signed.status()).toBe(200);
  const posted = Date.now();
  const res = await other.request.post('/api/head/seats', { form: { kindergarten_id: id, cohort, free: 2 } });
  expect(res.status(), await res.text()).toBe(200);
  await expect(item).toHaveAttribute('data-free', '2', { timeout: 1000 });
  const took = Date.now() - posted;
  await expect.poll(agrees, { timeout: 1000 }).toBe(true);
  console.log(`a posting reached the open map in ${took} ms (${testInfo.project.name})`);
  expect(page.url()).toContain(`cohort=${cohort}`);

  // Taken back: gone from the list and the green markers, again without a reload.
  const back = await other.request.post('/api/head/seats', { form: { kindergarten_id: id, cohort, free: 0 } });
  expect(back.status()).toBe(200);
  await expect(item).toHaveCount(0, { timeout: 1000 });
  await expect.poll(agrees, { timeout: 1000 }).toBe(true);
  await other.close();
});

test('without JavaScript the list is the map: filtered by the form, as in the database', async ({ page }, testInfo) => {
  test.skip(js(testInfo), 'the no-JavaScript project');
  await page.goto('/map?cohort=2023&district=auezov');
  const expected = withSeats(2023, 'auezov');
  expect(await listed(page)).toEqual(expected);
  await expect(page.locator('[data-testid="with-seats"]')).toContainText(String(expected.length));
  // The form, sent by its button.
  await page.selectOption('#m-district', 'bostandyk');
  await page.click('.map-filters button[type="submit"]');
  await expect(page).toHaveURL(/district=bostandyk/);
  expect(await listed(page)).toEqual(withSeats(2023, 'bostandyk'));
  // Each line leads to the kindergarten's page.
  const first = page.locator('[data-testid="places"] li a').first();
  await first.click();
  await expect(page).toHaveURL(/\/kindergartens\/\d+$/);
});

test('the map page passes axe-core and is looked at on a phone and a desktop, in Kazakh and Russian', async ({ page, context }, testInfo) => {
  test.skip(!js(testInfo), 'screenshots with the map drawn');
  for (const lang of ['kk', 'ru']) {
    await context.addCookies([{ name: 'kezek_lang', value: lang, url: testInfo.project.use.baseURL }]);
    await page.goto('/map?cohort=2022');
    await hydrated(page);
    await expect.poll(() => markersWithSeats(page)).toBeGreaterThan(0);
    await expect(page.locator('h1')).toHaveText(lang === 'kk' ? 'Бос орындар картасы' : 'Карта свободных мест');
    const results = await new AxeBuilder({ page }).analyze();
    const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(bad.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target).join(' ')})`)).toEqual([]);
    const name = testInfo.project.name === 'phone' ? 'phone' : 'desktop';
    if (name === 'desktop') await page.setViewportSize({ width: 1280, height: 900 });
    await page.screenshot({ path: `screenshots/${name}-map-${lang}.png` });
  }
});
