// Signing in with eGov mobile. The test plays the phone: it reads the QR code off the sign-in
// page (decoded from the picture, as a camera would), follows the protocol over HTTP without the
// browser's cookies (the description, the document with its token, the document sent back
// signed by a dev CA certificate), and the browser page signs in by itself.
import { test, expect } from '@playwright/test';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { axe, sqlChange } from './helpers.mjs';

const PARENT = '900101470014';

const hydrated = (page) => expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);

/** The text of the QR code shown in `locator`, read from its picture. */
async function qrText(locator) {
  const png = PNG.sync.read(await locator.screenshot());
  const code = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
  expect(code, 'a readable QR code').not.toBeNull();
  return code.data;
}

/** The app's side: from the QR code's text to the signed document sent back. */
async function playTheApp(request, qr, usage = 'auth') {
  expect(qr).toMatch(/^mobileSign:http:\/\/127\.0\.0\.1:\d+\/egov\/sign-in\/[0-9a-f]{64}$/);
  const address = qr.slice('mobileSign:'.length);
  const described = await request.get(address, { headers: { 'accept-language': 'kk' } });
  expect(described.status()).toBe(200);
  const api1 = await described.json();
  expect(api1.document.auth_type).toBe('Token');
  const auth = { authorization: `Bearer ${api1.document.auth_token}` };
  const fetched = await request.get(api1.document.uri, { headers: auth });
  expect(fetched.status()).toBe(200);
  const docs = await fetched.json();
  expect(docs.signMethod).toBe('CMS_SIGN_ONLY');
  const doc = docs.documentsToSign[0];
  const signer = await request.post('/auth/dev/sign', {
    form: { iin: PARENT, usage, data: doc.document.file.data },
  });
  expect(signer.status()).toBe(200);
  doc.document.file.data = (await signer.json()).cms;
  const sent = await request.put(api1.document.uri, { headers: auth, data: docs });
  return { address, status: sent.status(), answer: await sent.json() };
}

test('on a phone: the app button and the QR code for a second phone; the app signs the page in', async ({ page, context, request }, testInfo) => {
  test.skip(testInfo.project.name !== 'phone', 'the phone');
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await context.addCookies([{ name: 'kezek_lang', value: 'ru', url: testInfo.project.use.baseURL }]);
  await page.goto('/sign-in?next=/account');
  await hydrated(page);
  await page.click('#egov-start');
  const app = page.locator('#egov-app');
  await expect(app).toBeVisible();
  await expect(page.locator('#egov-qr')).toBeHidden();
  await expect(page.locator('.egov-status')).toHaveText('Ждём подпись из eGov mobile.');
  await expect(page.locator('.time-left strong')).toHaveText(/^4:5\d|^5:00$/);
  await axe(page);
  await page.screenshot({ path: 'screenshots/phone-egov-waiting-ru.png' });
  // The QR code, unfolded for a second phone, holds what the app link opens.
  await page.click('.egov details summary');
  const qr = await qrText(page.locator('.for-phone .qr svg'));
  const link = new URL(await app.getAttribute('href'));
  expect(link.origin + link.pathname).toBe('https://mgovsign.page.link/');
  expect(`mobileSign:${link.searchParams.get('link')}`).toBe(qr);
  expect(link.searchParams.get('apn')).toBe('kz.mobile.mgov');

  const { address, status, answer } = await playTheApp(request, qr);
  expect(status).toBe(200);
  expect(answer.message).toBe('Қолтаңба қабылданды. Браузерге оралыңыз.');
  // The page goes on by itself, without a reload.
  await expect(page).toHaveURL(/^[^?]*\/account$/);
  await expect(page.locator('[data-testid="role"]')).toHaveText('Родитель');
  const cookies = await context.cookies();
  expect(cookies.find((c) => c.name === 'kezek_session')?.httpOnly).toBe(true);
  // Nothing personal in what the phone was shown or fetched.
  expect(address).not.toContain(PARENT);
  expect(errors).toEqual([]);
});

test('on a computer: the QR code; the wrong key is said and a new code offered', async ({ page, request }, testInfo) => {
  test.skip(testInfo.project.name !== 'js', 'a computer with JavaScript');
  await page.goto('/sign-in');
  await hydrated(page);
  await page.click('#egov-start');
  const shown = page.locator('#egov-qr');
  await expect(shown).toBeVisible();
  await expect(page.locator('#egov-app')).toBeHidden();
  await axe(page);
  const qr = await qrText(shown.locator('svg'));
  // Signed with the signing key (SIGN) instead of the authentication key.
  const { status } = await playTheApp(request, qr, 'sign');
  expect(status).toBe(403);
  await expect(page.locator('.egov-status')).toHaveText(
    'This is the signing key (SIGN). To sign in, choose the authentication key (AUTH).');
  expect((await page.context().cookies()).find((c) => c.name === 'kezek_session')).toBeUndefined();
  // A new code, another address.
  await page.click('#egov-start');
  await expect(shown).toBeVisible();
  const again = await qrText(shown.locator('svg'));
  expect(again).not.toBe(qr);
  // The app opening it is seen on the page.
  const described = await request.get(again.slice('mobileSign:'.length));
  expect(described.status()).toBe(200);
  await expect(page.locator('.egov-status')).toHaveText(
    'eGov mobile opened the request. Confirm the sign-in in the app.');
  // Cancelled: said, and the code's address is refused from then on.
  await page.click('#egov-cancel');
  await expect(page.locator('.egov-status')).toHaveText('Sign-in cancelled. Get a new code if you wish.');
  await expect(page.locator('#egov-start')).toHaveText('Get a new code');
  const refused = await request.get(again.slice('mobileSign:'.length) + '/document', {
    headers: { authorization: `Bearer ${(await described.json()).document.auth_token}` },
  });
  expect(refused.status()).toBe(410);
});

test('a code past its five minutes is said to have expired, and a new one offered', async ({ page }, testInfo) => {
  test.skip(testInfo.project.name !== 'js', 'a computer with JavaScript');
  await page.goto('/sign-in');
  await hydrated(page);
  await page.click('#egov-start');
  const qr = await qrText(page.locator('#egov-qr svg'));
  // Its five minutes end now (the server's own clock runs on; the row is what it reads).
  const address = qr.split('/').pop();
  expect(sqlChange('UPDATE mobile_sign_ins SET expires_at = ? WHERE address = ?', Date.now() - 1, address)).toBe(1);
  await expect(page.locator('.egov-status')).toHaveText('The code has expired (5 minutes). Get a new one.');
  await expect(page.locator('#egov-start')).toHaveText('Get a new code');
  await expect(page.locator('#egov-qr')).toHaveCount(0);
});

test('a page reloaded while it waits carries on, and signs in when the signature comes', async ({ page, request }, testInfo) => {
  test.skip(testInfo.project.name !== 'js', 'a computer with JavaScript');
  await page.goto('/sign-in?next=/account');
  await hydrated(page);
  await page.click('#egov-start');
  const qr = await qrText(page.locator('#egov-qr svg'));
  await page.reload();
  await hydrated(page);
  // The same code again (the app has not fetched it yet).
  await expect(page.locator('#egov-qr')).toBeVisible();
  expect(await qrText(page.locator('#egov-qr svg'))).toBe(qr);
  const { status } = await playTheApp(request, qr);
  expect(status).toBe(200);
  await expect(page).toHaveURL(/^[^?]*\/account$/);
  await expect(page.locator('[data-testid="role"]')).toHaveText('Parent');
});

test('the waiting page on a phone in Kazakh and on a computer (screenshots)', async ({ page, context }, testInfo) => {
  test.skip(testInfo.project.use.javaScriptEnabled === false, 'the code is asked for by a script');
  const lang = testInfo.project.name === 'phone' ? 'kk' : 'ru';
  await context.addCookies([{ name: 'kezek_lang', value: lang, url: testInfo.project.use.baseURL }]);
  await page.goto('/sign-in');
  await hydrated(page);
  await page.click('#egov-start');
  await expect(page.locator('.time-left strong')).toBeVisible();
  if (testInfo.project.name === 'phone') {
    await expect(page.locator('.egov-status')).toHaveText('eGov mobile-ден қолтаңбаны күтудеміз.');
    await page.click('.egov details summary');
    await page.screenshot({ path: 'screenshots/phone-egov-waiting-kk.png', fullPage: true });
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(390);
  } else {
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.screenshot({ path: 'screenshots/desktop-egov-waiting-ru.png', fullPage: true });
  }
});
