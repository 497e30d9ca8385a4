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
    await expect(page).toHaveURL(/^[^?]*\/account$/);
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
  await expect(page).toHaveURL(/^[^?]*\/account$/);
  await expect(page.locator('[data-testid="role"]')).toHaveText('Parent');
  // The IIN went in the body, never in an address.
  expect(page.url()).not.toContain('900101470014');
});

test('the account page in Kazakh and Russian (screenshots)', async ({ page, context }, testInfo) => {
  test.skip(testInfo.project.name !== 'phone', 'phone screenshots');
  await page.goto('/sign-in?next=/account');
  await page.click('[data-testid="dev-sign-in"] button[data-role="head"]');
  await expect(page).toHaveURL(/^[^?]*\/account$/);
  for (const [lang, role] of [['kk', 'Балабақша меңгерушісі'], ['ru', 'Заведующий детским садом']]) {
    await context.addCookies([{ name: 'kezek_lang', value: lang, url: testInfo.project.use.baseURL }]);
    await page.goto('/account');
    await hydrated(page, testInfo);
    await expect(page.locator('[data-testid="role"]')).toHaveText(role);
    await page.screenshot({ path: `screenshots/phone-account-${lang}.png` });
  }
});

// NCALayer, played by the test: `page.routeWebSocket` answers for wss://127.0.0.1:13579 as
// NCALayer does (a greeting with its version, then `{status, body: {result}}`), and signs
// through the dev server's signer (the dev CA), so the page's real code path runs end to end:
// challenge, the request to NCALayer, the signature posted back, the verifier, the session.
const NCALAYER = /^wss:\/\/127\.0\.0\.1:13579\/?$/;
const demo = { parent: '900101470014', head: '800101370027' };

async function ncaLayer(page, answer) {
  const asked = [];
  await page.routeWebSocket(NCALAYER, (ws) => {
    ws.send(JSON.stringify({ result: { version: '1.4 (test stand-in)' } }));
    ws.onMessage(async (text) => {
      const request = JSON.parse(text);
      asked.push(request);
      ws.send(JSON.stringify(await answer(request)));
    });
  });
  return asked;
}

const signedBy = (request, iin, usage) => async (asked) => {
  const res = await request.post('/auth/dev/sign', { form: { iin, usage, data: asked.args.data } });
  expect(res.status()).toBe(200);
  return { status: true, body: { result: [(await res.json()).cms] } };
};

for (const [role, shown] of [['parent', 'Parent'], ['head', 'Head of a kindergarten']]) {
  test(`signing in with NCALayer as the ${role}, and back to where you were going`, async ({ page, request }, testInfo) => {
    test.skip(testInfo.project.use.javaScriptEnabled === false, 'NCALayer is reached by a script');
    const asked = await ncaLayer(page, signedBy(request, demo[role], 'auth'));
    await page.goto('/account');
    await expect(page).toHaveURL(/\/sign-in\?next=/);
    await hydrated(page, testInfo);
    await page.check(`input[name="role"][value="${role}"]`);
    await page.click('#eds-sign-in');
    await expect(page).toHaveURL(/^[^?]*\/account$/);
    await expect(page.locator('[data-testid="role"]')).toHaveText(shown);
    // What the page asked NCALayer for: a detached CMS with the authentication key, over the
    // server's challenge.
    expect(asked).toHaveLength(1);
    const [{ module, method, args }] = asked;
    expect([module, method, args.format]).toEqual(['kz.gov.pki.knca.basics', 'sign', 'cms']);
    expect(args.signingParams.encapsulate).toBe(false);
    expect(args.signerParams.extKeyUsageOids).toEqual(['1.3.6.1.5.5.7.3.2']);
    expect(Buffer.from(args.data, 'base64').toString().length).toBeGreaterThanOrEqual(32);
  });
}

for (const [what, answer, message] of [
  ['the person cancels', () => ({ status: true, body: {} }), 'Signing was cancelled. Try again.'],
  ['NCALayer cannot sign', () => ({ status: false, code: '500', message: 'storage.empty' }),
    'NCALayer could not sign. Check that your key is plugged in and try again.'],
  ['the signing key is chosen', 'sign', 'This is the signing key (SIGN). To sign in, choose the authentication key (AUTH).'],
]) {
  test(`signing in with NCALayer when ${what}: said on the page, nobody signed in`, async ({ page, request }, testInfo) => {
    test.skip(testInfo.project.use.javaScriptEnabled === false, 'NCALayer is reached by a script');
    await ncaLayer(page, answer === 'sign' ? signedBy(request, demo.parent, 'sign') : answer);
    await page.goto('/sign-in');
    await hydrated(page, testInfo);
    await page.click('#eds-sign-in');
    await expect(page.locator('p.status')).toHaveText(message);
    await expect(page).toHaveURL(/\/sign-in$/);
    expect((await page.context().cookies()).find((c) => c.name === 'kezek_session')).toBeUndefined();
  });
}
