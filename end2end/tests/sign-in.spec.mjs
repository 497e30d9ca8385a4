// Signing in (dev mode: the dev people, signed by the dev CA through the same verifier),
// the account page that needs it, and signing out: with JavaScript and without.
import { test, expect } from '@playwright/test';

const hydrated = async (page, testInfo) => {
  if (testInfo.project.use.javaScriptEnabled !== false) {
    await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
  }
};

for (const [role, shown] of [
  ['parent', 'Parent'],
  ['head', 'Head of a kindergarten'],
  ['admin', 'Education department'],
]) {
  test(`the account page sends you to sign in and back, as the ${role}`, async ({ page }, testInfo) => {
    await page.goto('/account');
    await expect(page).toHaveURL(/\/sign-in\?next=(%2F|\/)account/);
    await hydrated(page, testInfo);
    await expect(page.locator('h1')).toHaveText('Sign in to Kezek');
    await page.click(`[data-testid="dev-sign-in"] button[data-role="${role}"]`);
    await expect(page).toHaveURL(/\/account$/);
    await hydrated(page, testInfo);
    await expect(page.locator('[data-testid="role"]')).toHaveText(shown);
    if (role === 'head') {
      await expect(page.locator('.account a[href^="/kindergartens/"]')).toBeVisible();
    }
    // The session cookie is not readable by scripts.
    const cookies = await page.context().cookies();
    const session = cookies.find((c) => c.name === 'kezek_session');
    expect(session && session.httpOnly && session.sameSite === 'Lax').toBeTruthy();

    await page.click('text=Sign out');
    await expect(page).toHaveURL(/\/$/);
    expect((await page.context().cookies()).find((c) => c.name === 'kezek_session')).toBeUndefined();
    await page.goto('/account');
    await expect(page).toHaveURL(/\/sign-in/);
  });
}

test('the EDS button says so when NCALayer is not running', async ({ page }, testInfo) => {
  test.skip(testInfo.project.use.javaScriptEnabled === false, 'NCALayer is reached by a script');
  await page.goto('/sign-in');
  await hydrated(page, testInfo);
  await page.click('#eds-sign-in');
  await expect(page.locator('p.status')).toHaveText('NCALayer is not running. Start it (pki.gov.kz) and try again.');
});

test('a refused sign-in is explained on the page, in Russian', async ({ page, context }, testInfo) => {
  await context.addCookies([{ name: 'kezek_lang', value: 'ru', url: testInfo.project.use.baseURL }]);
  await page.goto('/sign-in?error=signingkey');
  await hydrated(page, testInfo);
  await expect(page.locator('p.error')).toContainText('Для входа выберите ключ аутентификации (AUTH)');
});

test('dev mode signs in as a parent with any IIN; a mistyped one is explained', async ({ page }, testInfo) => {
  await page.goto('/sign-in?next=/account');
  await hydrated(page, testInfo);
  // The check digit is wrong: refused, back on the sign-in page with the reason.
  await page.fill('#dev-iin', '900101470015');
  await page.click('.dev-any button');
  await expect(page).toHaveURL(/\/sign-in\?error=iin/);
  await expect(page.locator('p.error')).toContainText('check digit does not match');
  await hydrated(page, testInfo);
  await page.fill('#dev-iin', '900101470014');
  await page.click('.dev-any button');
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.locator('[data-testid="role"]')).toHaveText('Parent');
  // The IIN went in the body, never in an address.
  expect(page.url()).not.toContain('900101470014');
});

test('the account page in Kazakh and Russian (screenshots)', async ({ page, context }, testInfo) => {
  test.skip(testInfo.project.name !== 'phone', 'phone screenshots');
  await page.goto('/sign-in?next=/account');
  await page.click('[data-testid="dev-sign-in"] button[data-role="head"]');
  await expect(page).toHaveURL(/\/account$/);
  for (const [lang, role] of [['kk', 'Балабақша меңгерушісі'], ['ru', 'Заведующий детским садом']]) {
    await context.addCookies([{ name: 'kezek_lang', value: lang, url: testInfo.project.use.baseURL }]);
    await page.goto('/account');
    await hydrated(page, testInfo);
    await expect(page.locator('[data-testid="role"]')).toHaveText(role);
    await page.screenshot({ path: `screenshots/phone-account-${lang}.png` });
  }
});
