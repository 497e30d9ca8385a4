// The head's tablet (1024×768 and 768×1024): dev sign-in as the demo head, seats posted with
// minus, plus and a number; a second tablet posting on top of an old number is told the number
// now and applies its change on top; a repeat changes nothing; without JavaScript the forms post.
// The referrals and a flaky connection: head-referrals.spec.mjs.
import { test, expect } from '@playwright/test';
import { axe, freeNow, sql, tablet as signedIn } from './helpers.mjs';

/** The demo head's kindergarten (the first by number), an age group with room for `room`
 * more seats: the youngest or the oldest, each project its own (the projects run at once). */
function group(room, oldest) {
  return sql(
    `SELECT s.kindergarten_id, s.cohort, s.free FROM seats s
     WHERE s.kindergarten_id = (SELECT id FROM kindergartens ORDER BY number LIMIT 1)
     AND s.cohort <> 2021 -- the journeys' age group: seats there would invite their children
     AND s.capacity - s.free - (SELECT COUNT(*) FROM referrals r WHERE r.kindergarten_id = s.kindergarten_id
                                AND r.cohort = s.cohort AND r.state = 'active') >= ?
     ORDER BY s.cohort ${oldest ? 'ASC' : 'DESC'} LIMIT 1`, room)[0];
}
async function tablet(browser, viewport, lang) {
  return signedIn(browser, viewport, lang, test.info().project.use.baseURL);
}

test('two tablets post seats: the second is told the number now and applies its change on top', async ({ browser }, testInfo) => {
  test.skip(testInfo.project.name !== 'js', 'tablets: once, with JavaScript');
  const [kg, cohort, start] = group(3, false);
  const a = await tablet(browser, { width: 1024, height: 768 }, 'kk');
  const b = await tablet(browser, { width: 768, height: 1024 }, 'ru');
  for (const t of [a, b]) await expect(t.page.locator('body[data-hydrated="true"]')).toHaveCount(1);
  const card = (t) => t.page.locator(`article.head-group[data-cohort="${cohort}"]`);
  for (const t of [a, b]) await expect(card(t).locator('[data-testid="free"]')).toHaveText(String(start));
  // Touch targets of at least 48 px.
  const box = await card(a).locator('button.step').first().boundingBox();
  expect(box.height).toBeGreaterThanOrEqual(48);
  expect(box.width).toBeGreaterThanOrEqual(48);

  // Tablet A: one seat more.
  await card(a).locator('button.step').last().click();
  await expect(card(a).locator('[data-testid="free"]')).toHaveText(String(start + 1));
  expect(freeNow(kg, cohort)).toBe(start + 1);

  // Tablet B still shows the old number and adds one too: refused, nothing overwritten.
  await card(b).locator('button.step').last().click();
  await expect(card(b).locator('[data-testid="conflict"]')).toBeVisible();
  await expect(card(b).locator('[data-testid="conflict"]')).toContainText(String(start + 1));
  await expect(card(b).locator('[data-testid="free"]')).toHaveText(String(start + 1));
  expect(freeNow(kg, cohort)).toBe(start + 1);
  await axe(b.page);
  await b.page.screenshot({ path: 'screenshots/tablet-head-conflict-portrait-ru.png', fullPage: true });
  // B applies its change on top.
  await card(b).locator('[data-testid="on-top"]').click();
  await expect(card(b).locator('[data-testid="free"]')).toHaveText(String(start + 2));
  await expect(card(b).locator('[data-testid="conflict"]')).toHaveCount(0);
  expect(freeNow(kg, cohort)).toBe(start + 2);

  // A change sent twice (a retry after a lost answer) counts once.
  const postings = () => sql('SELECT COUNT(*) FROM seat_postings WHERE kindergarten_id = ? AND cohort = ?', kg, cohort)[0][0];
  const before = postings();
  for (let i = 0; i < 2; i++) {
    const res = await b.page.request.post('/api/head/seats', {
      form: { kindergarten_id: kg, cohort, free: start + 3, seen: start + 2, key: 'retry-once' },
    });
    expect(res.status()).toBe(200);
  }
  expect(freeNow(kg, cohort)).toBe(start + 3);
  expect(postings()).toBe(before + 1);

  // A number set back; the history lists the postings, newest first.
  await a.page.reload();
  await expect(a.page.locator('body[data-hydrated="true"]')).toHaveCount(1);
  await card(a).locator('input[type="number"]').fill(String(start));
  await card(a).locator('.set-seats button').click();
  await expect(card(a).locator('[data-testid="free"]')).toHaveText(String(start));
  expect(freeNow(kg, cohort)).toBe(start);
  await expect(a.page.locator('[data-testid="history"] tbody tr').first()).toContainText(`${start + 3} → ${start}`);
  await axe(a.page);
  await a.page.screenshot({ path: 'screenshots/tablet-head-landscape-kk.png', fullPage: true });
  expect([...a.errors, ...b.errors]).toEqual([]);
  await a.context.close();
  await b.context.close();
});

test('without JavaScript the head posts seats with the forms and the page comes back', async ({ browser }, testInfo) => {
  test.skip(testInfo.project.name !== 'nojs', 'the no-JavaScript project');
  const [kg, cohort, start] = group(2, true);
  const context = await browser.newContext({ viewport: { width: 768, height: 1024 }, javaScriptEnabled: false });
  const base = testInfo.project.use.baseURL;
  await context.addCookies([{ name: 'kezek_lang', value: 'ru', url: base }]);
  const page = await context.newPage();
  await page.goto(`${base}/sign-in?as=head&next=%2Fhead`);
  await page.click('[data-testid="dev-sign-in"] button[data-role="head"]');
  await expect(page).toHaveURL(/\/head$/);
  const card = page.locator(`article.head-group[data-cohort="${cohort}"]`);
  await card.locator('button.step').last().click();
  await expect(page).toHaveURL(/\/head$/);
  await expect(card.locator('[data-testid="free"]')).toHaveText(String(start + 1));
  await card.locator('input[type="number"]').fill(String(start));
  await card.locator('.set-seats button').click();
  await expect(card.locator('[data-testid="free"]')).toHaveText(String(start));
  expect(freeNow(kg, cohort)).toBe(start);
  await context.close();
});

test('without JavaScript a refused staff order comes back with its reason, and nothing changes', async ({ browser }, testInfo) => {
  test.skip(testInfo.project.name !== 'nojs', 'the no-JavaScript project');
  const context = await browser.newContext({ viewport: { width: 768, height: 1024 }, javaScriptEnabled: false });
  const base = testInfo.project.use.baseURL;
  await context.addCookies([{ name: 'kezek_lang', value: 'kk', url: base }]);
  const page = await context.newPage();
  await page.goto(`${base}/sign-in?as=head&next=%2Fhead`);
  await page.click('[data-testid="dev-sign-in"] button[data-role="head"]');
  // No referral carries this order (other tests issue referrals meanwhile: count only its own).
  const referrals = () => sql(`SELECT COUNT(*) FROM referrals WHERE staff_order = '№ 20-к'`)[0][0];
  const staff = page.locator('[data-testid="staff-child"]');
  await staff.locator('summary').click();
  await staff.locator('#staff-no').fill('ALM-1999-000000');
  await staff.locator('#staff-order').fill('№ 20-к');
  await staff.locator('#staff-reason').fill('Тәрбиешінің ұлы');
  await staff.locator('[data-testid="admit"]').click();
  await expect(page.locator('.alert')).toContainText('Мұндай нөмірлі өтініш жоқ');
  expect(referrals()).toBe(0);
  await context.close();
});

test('the tablet page is for heads: anyone else is sent to sign in as one', async ({ page }, testInfo) => {
  test.skip(testInfo.project.name !== 'js', 'once');
  await page.goto('/head');
  await expect(page).toHaveURL(/\/sign-in\?as=head/);
});

test('a head finds the tablet page from the account page', async ({ page }, testInfo) => {
  test.skip(testInfo.project.name === 'nojs', 'with JavaScript and on a phone');
  await page.context().addCookies([{ name: 'kezek_lang', value: 'kk', url: testInfo.project.use.baseURL }]);
  await page.goto('/sign-in?as=head&next=%2Faccount');
  await page.click('[data-testid="dev-sign-in"] button[data-role="head"]');
  await expect(page).toHaveURL(/\/account$/);
  await page.click('[data-testid="to-tablet"]');
  await expect(page).toHaveURL(/\/head$/);
  await expect(page.locator('article.head-group').first()).toBeVisible();
  if (testInfo.project.name === 'phone') {
    await page.screenshot({ path: 'screenshots/phone-head-kk.png', fullPage: false });
    // The referrals' part of the page on a phone: the check, the camera button, the staff form.
    await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
    await page.locator('[data-testid="staff-child"] summary').click();
    await page.locator('#referrals').scrollIntoViewIfNeeded();
    await page.screenshot({ path: 'screenshots/phone-head-referrals-kk.png', fullPage: false });
    // Nothing wider than the phone.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  }
});
