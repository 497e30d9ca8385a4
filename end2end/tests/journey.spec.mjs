// The parent's journey on the demo city, as a parent on a phone does it: dev sign-in, apply,
// a seat is posted (by the education department, through the API), the child is invited,
// choose, the referral; its QR code decodes to a token that verifies against the published
// keys. With JavaScript and without, in Kazakh and Russian; axe-core on every page.
import { test, expect } from '@playwright/test';
import { AxeBuilder } from '@axe-core/playwright';
import { createPublicKey, verify } from 'node:crypto';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { iin, person } from './helpers.mjs';

const hydrated = async (page, testInfo) => {
  if (testInfo.project.use.javaScriptEnabled !== false) {
    await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
  }
};

async function axe(page, testInfo) {
  if (testInfo.project.use.javaScriptEnabled === false) return;
  // The settled page: a map's markers fade in (CSS transitions), and half-faded text is not
  // what anyone reads.
  await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running'), null, { timeout: 5000 });
  const results = await new AxeBuilder({ page }).analyze();
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(bad.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target).join(' ')})`)).toEqual([]);
}

async function shot(page, testInfo, name, fullPage = true) {
  if (testInfo.project.name === 'js') return;
  await page.screenshot({ path: `screenshots/${testInfo.project.name}-${name}.png`, fullPage });
}

async function signInAsParent(page, testInfo, parentIin, next) {
  await page.goto(`/sign-in?next=${encodeURIComponent(next)}`);
  await hydrated(page, testInfo);
  await page.fill('#dev-iin', parentIin);
  await page.click('.dev-any button');
  await expect(page).toHaveURL(new RegExp(`^[^?]*${next.replace('?', '\\?')}$`));
}

/** Fills the application form for `child` (general class unless told). */
async function fillApplication(page, child, name, priority = 'extraordinary') {
  await page.fill('#child_iin', child.iin);
  await page.fill('#child_name', name);
  await page.check(`input[name="form[priority]"][value="${priority}"]`);
  if (priority !== 'general') await page.fill('#priority_doc', 'Справка в/ч 12345 № 77 от 01.09.2026');
  await page.fill('#phone1', '+7 701 123 45 67');
  await page.fill('#phone2', '8 777 765 43 21');
  await page.fill('#email', 'parent@mail.kz');
  await page.selectOption('#district', 'bostandyk');
  await page.selectOption('#language', 'kk');
}

/**
 * Free seats for the child's age group until the child is invited: the education department
 * posts each kindergarten's whole capacity, from `from` on (each browser project its own
 * kindergartens, so that projects running at once do not take each other's seats).
 */
async function postSeatsUntilInvited(request, isInvited, cohort, from) {
  const admin = await request.post('/auth/dev/sign-in', { form: { iin: '700101470032', role: 'admin', next: '/' } });
  expect(admin.status()).toBe(200);
  for (let id = from; id < from + 40; id++) {
    const k = await (await request.get(`/api/kindergarten?id=${id}`)).json();
    const group = (k.groups || []).find((g) => g.cohort === cohort);
    if (!k.card || !k.card.in_queue || !group) continue;
    for (let free = group.capacity; free > Math.max(0, group.capacity - 8); free--) {
      const res = await request.post('/api/head/seats', { form: { kindergarten_id: id, cohort, free } });
      if (res.status() === 200) break;
    }
    if (await isInvited()) return id;
  }
  throw new Error('the child was never invited');
}

async function decodeQr(page) {
  const png = PNG.sync.read(await page.locator('.qr svg').screenshot());
  const code = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
  expect(code, 'the QR code decodes').not.toBeNull();
  return code.data;
}

async function verifyToken(request, token) {
  const [prefix, payload, sig] = token.split('.');
  expect(prefix).toBe('kezek1');
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
  const { keys } = await (await request.get('/.well-known/referral-keys.json')).json();
  const jwk = keys.find((k) => k.kid === claims.kid);
  expect(jwk, 'the signing key is published').toBeTruthy();
  expect(jwk.alg).toBe('Ed25519');
  const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: jwk.x }, format: 'jwk' });
  expect(verify(null, Buffer.from(payload), key, Buffer.from(sig, 'base64url'))).toBe(true);
  // A changed claim does not verify.
  const forged = Buffer.from(JSON.stringify({ ...claims, exp: claims.exp + 86400000 })).toString('base64url');
  expect(verify(null, Buffer.from(forged), key, Buffer.from(sig, 'base64url'))).toBe(false);
  return claims;
}

const FIRST_KINDERGARTEN = { js: 60, phone: 160, nojs: 260 };

test('a parent applies, is invited, chooses a kindergarten and gets a referral that verifies', async ({ page, context, request }, testInfo) => {
  test.setTimeout(120_000);
  const lang = testInfo.project.name === 'nojs' ? 'ru' : (testInfo.project.name === 'phone' ? 'kk' : 'ru');
  await context.addCookies([{ name: 'kezek_lang', value: lang, url: testInfo.project.use.baseURL }]);
  const parent = person(1990);
  await signInAsParent(page, testInfo, parent.iin, '/apply');
  await hydrated(page, testInfo);
  await axe(page, testInfo);
  await shot(page, testInfo, `apply-${lang}`);

  // Apply (a new child each run; a number the demo city happens to hold is tried again).
  let child;
  let number;
  for (let attempt = 0; attempt < 3 && !number; attempt++) {
    child = person(2021);
    await fillApplication(page, child, 'Әлия Серікқызы');
    if (testInfo.project.use.javaScriptEnabled !== false) {
      // The birth date and the age group are read from the IIN as it is typed.
      const [y, m, d] = child.date.split('-');
      await expect(page.locator('[data-testid="derived"]')).toContainText(`${d}.${m}.${y}`);
      await expect(page.locator('[data-testid="derived"]')).toContainText('2021');
    }
    await page.click('form.form button[type="submit"]');
    await Promise.race([
      page.waitForURL(/\/my\?applied=/),
      page.locator('.alert').waitFor(),
    ]);
    if (/\/my\?applied=/.test(page.url())) {
      number = new URL(page.url()).searchParams.get('applied');
    } else {
      await page.goto('/apply');
      await hydrated(page, testInfo);
    }
  }
  expect(number).toMatch(/^ALM-\d{4}-[2-9A-Z]{4}-[2-9A-Z]{4}$/);
  // The child's IIN went in a form body, never into an address.
  expect(page.url()).not.toContain(child.iin);
  await hydrated(page, testInfo);
  await expect(page.locator('[data-testid="applied"]')).toContainText(number);
  const card = page.locator(`article.child[data-number="${number}"]`);
  await expect(card.locator('[data-testid="position"]')).toContainText('2021');
  await axe(page, testInfo);
  await shot(page, testInfo, `my-waiting-${lang}`);

  // "Apply together for a brother or sister": the same contacts and wishes, ready to change.
  await page.click('[data-testid="applied"] a');
  await expect(page).toHaveURL(new RegExp(`/apply\\?sibling=${number}$`));
  await expect(page.locator('#phone1')).toHaveValue('+77011234567');
  await expect(page.locator('#email')).toHaveValue('parent@mail.kz');
  await expect(page.locator('#district')).toHaveValue('bostandyk');
  await expect(page.locator('input[name="form[sibling_of]"]')).toHaveValue(number);
  await page.goto(`/my?applied=${number}`);
  await hydrated(page, testInfo);

  // The receipt went by SMS to both numbers and by e-mail (the dev server's log provider),
  // and the card says where, masked; the weekly summary is there to ask for.
  const receipt = card.locator('[data-testid="notice"]', { hasText: lang === 'kk' ? 'Өтінім қабылданды' : 'Заявка принята' });
  await expect(async () => {
    await page.reload();
    await expect(receipt.locator('li.delivery-sent')).toHaveCount(3, { timeout: 1000 });
  }).toPass({ timeout: 20_000 });
  await hydrated(page, testInfo);
  await expect(receipt).toContainText(lang === 'kk' ? 'SMS +7 701 *** ** 67 нөміріне жіберілді' : 'SMS отправлено на +7 701 *** ** 67');
  await expect(receipt).toContainText(lang === 'kk' ? 'SMS +7 777 *** ** 21 нөміріне жіберілді' : 'SMS отправлено на +7 777 *** ** 21');
  await expect(receipt).toContainText('p***@mail.kz');
  await expect(card.locator('.notices-box')).not.toContainText('1234567');
  const weekly = card.locator('[data-testid="weekly"]');
  await expect(weekly).toHaveText(lang === 'kk' ? 'Апталық шолуды алу' : 'Получать еженедельную сводку');
  await weekly.click();
  await expect(card.locator('[data-testid="weekly"]')).toHaveText(lang === 'kk' ? 'Апталық шолуды тоқтату' : 'Отключить еженедельную сводку');
  await expect(card.locator('[data-testid="weekly-said"]')).toHaveText(lang === 'kk' ? 'Әр дүйсенбі сайын кезектегі орын туралы SMS пен хат келеді.' : 'Каждый понедельник приходит SMS и письмо о месте в очереди.');
  await axe(page, testInfo);
  await shot(page, testInfo, `my-notices-${lang}`);
  await page.goto(`/my?applied=${number}`);
  await hydrated(page, testInfo);

  // Seats are posted; the child is invited.
  const invited = async () => {
    const res = await page.request.post('/api/queue/invitation', { form: { public_no: number } });
    return res.status() === 200 && (await res.json()) !== null;
  };
  const js = testInfo.project.use.javaScriptEnabled !== false;
  // With JavaScript the page listens for changes (server-sent events).
  if (js) await expect(page.locator('[data-testid="live"]')).toBeVisible();
  // Seats at kindergartens of this test's own (other tests choose at once).
  const ours = await postSeatsUntilInvited(request, invited, 2021, FIRST_KINDERGARTEN[testInfo.project.name]);

  // The invitation appears by itself with JavaScript (no reload); without, on reloading.
  if (js) {
    await expect(card.locator('[data-testid="status"]')).toHaveText(
      lang === 'kk' ? 'Орын таңдауға шақырылды' : 'Приглашён выбрать место', { timeout: 20_000 });
    expect(page.url()).toContain('/my?applied=');
  }
  // From the invitation to the referral: open the choice (1), pick a kindergarten (2), confirm (3).
  await page.goto('/my');
  await hydrated(page, testInfo);
  await expect(card.locator('[data-testid="status"]')).toHaveText(lang === 'kk' ? 'Орын таңдауға шақырылды' : 'Приглашён выбрать место');
  await shot(page, testInfo, `my-invited-${lang}`);
  await card.locator('[data-testid="choose"]').click();
  await expect(page).toHaveURL(new RegExp(`/choose/${number}$`));
  await hydrated(page, testInfo);
  await expect(page.locator('label.seat').first()).toBeVisible();
  await axe(page, testInfo);
  await shot(page, testInfo, `choose-${lang}`, false);
  // A second tab with the same choice open (a parent who opened the link twice).
  const tab2 = await context.newPage();
  await tab2.goto(`/choose/${number}`);
  await hydrated(tab2, testInfo);
  await page.locator(`label.seat:has(input[value="${ours}"])`).click();
  if (testInfo.project.name === 'phone') {
    // On the map: the kindergarten picked in the list opens there, and its "Choose" sends it.
    const choose = page.locator(`.leaflet-popup button[data-choose="${ours}"]`);
    await expect(choose).toBeVisible();
    await shot(page, testInfo, `choose-map-${lang}`, false);
    await choose.click();
  } else {
    await page.click('.sticky-actions button');
  }
  await expect(page).toHaveURL(/\/referrals\/[^/]+$/);
  // The second tab's claim is refused with the reason; the one referral stands.
  await tab2.locator(`label.seat:has(input[value="${ours}"])`).click();
  await tab2.click('.sticky-actions button');
  await expect(tab2.locator('.alert')).toContainText(lang === 'kk' ? 'жолдама бар' : 'уже есть направление');
  await tab2.close();
  await hydrated(page, testInfo);
  const code = page.url().split('/').pop();
  await expect(page.locator('[data-testid="code"]')).toHaveText(code);
  await expect(page.locator('[data-testid="referral-state"]')).toHaveText(lang === 'kk' ? 'Жарамды' : 'Действует');
  await axe(page, testInfo);
  await shot(page, testInfo, `referral-${lang}`);

  // The QR code holds the signed token, which verifies against the published key.
  const token = await decodeQr(page);
  const claims = await verifyToken(request, token);
  expect(claims.code).toBe(code);
  expect(claims.child).toBe(number);
  expect(claims.cohort).toBe(2021);
  expect(claims.exp).toBeGreaterThan(Date.now());
  expect(token).not.toContain(child.iin);
  // Printed on A4, only the referral remains.
  await page.emulateMedia({ media: 'print' });
  await expect(page.locator('header.top')).toBeHidden();
  await expect(page.locator('.actions.no-print')).toBeHidden();
  await page.emulateMedia({ media: 'screen' });

  // "My children" shows the referral.
  await page.goto('/my');
  await expect(card.locator('[data-testid="status"]')).toHaveText(lang === 'kk' ? 'Жолдама берілді' : 'Выдано направление');
  await expect(card.locator(`a[href="/referrals/${code}"]`)).toBeVisible();
  if (testInfo.project.name === 'phone') {
    // The same pages in Russian.
    await context.addCookies([{ name: 'kezek_lang', value: 'ru', url: testInfo.project.use.baseURL }]);
    await page.goto('/my');
    await hydrated(page, testInfo);
    await shot(page, testInfo, 'my-referred-ru');
    await page.goto(`/referrals/${code}`);
    await hydrated(page, testInfo);
    await expect(page.locator('h1')).toHaveText('Направление в детский сад');
    await axe(page, testInfo);
    await shot(page, testInfo, 'referral-ru');
    await context.addCookies([{ name: 'kezek_lang', value: lang, url: testInfo.project.use.baseURL }]);
  }

  // Declined (with a confirmation): the seat goes back, the child keeps its place.
  await page.goto(`/referrals/${code}`);
  await hydrated(page, testInfo);
  await page.locator('details.danger summary').click();
  await page.locator('details.danger button[type="submit"]').click();
  await expect(page).toHaveURL(/\/my$/);
  await expect(card.locator('[data-testid="status"]')).toHaveText(lang === 'kk' ? 'Кезекте' : 'В очереди');
  await expect(card.locator('[data-testid="position"]')).toBeVisible();

  // The contacts change.
  await card.locator('details.edit summary').click();
  await card.locator('input[name="contacts[email]"]').fill('new.address@mail.kz');
  await card.locator('details.edit button[type="submit"]').click();
  await expect(page).toHaveURL(/\/my\?saved=/);
  await page.goto('/my');
  await expect(card.locator('input[name="contacts[email]"]')).toHaveValue('new.address@mail.kz');
  // A mistyped phone is refused with the reason, and nothing changes.
  await card.locator('details.edit summary').click();
  await card.locator('input[name="contacts[phone1]"]').fill('+7 727 250 00 00');
  await card.locator('details.edit button[type="submit"]').click();
  await expect(page.locator('.alert')).toBeVisible();
  await page.goto('/my');
  await expect(card.locator('input[name="contacts[phone1]"]')).toHaveValue('+77011234567');

  // Withdrawn (with a confirmation).
  await card.locator('details.danger summary').click();
  await card.locator('details.danger button[type="submit"]').click();
  await expect(card.locator('[data-testid="status"]')).toHaveText(lang === 'kk' ? 'Қайтарып алынды' : 'Отозвано');
  await expect(card.locator('details.danger')).toHaveCount(0);
});

test('the application form explains each mistake as it is typed, in Kazakh', async ({ page, context }, testInfo) => {
  test.skip(testInfo.project.use.javaScriptEnabled === false, 'checked as you type by the page script');
  await context.addCookies([{ name: 'kezek_lang', value: 'kk', url: testInfo.project.use.baseURL }]);
  await signInAsParent(page, testInfo, person(1988).iin, '/apply');
  await hydrated(page, testInfo);
  // A wrong check digit.
  const good = person(2022).iin;
  const bad = good.slice(0, 11) + String((Number(good[11]) + 1) % 10);
  await page.fill('#child_iin', bad);
  await expect(page.locator('#child_iin-error')).toContainText('бақылау цифры');
  await expect(page.locator('#child_iin')).toHaveAttribute('aria-invalid', 'true');
  // A child of six is not in the preschool queue.
  await page.fill('#child_iin', person(2019).iin);
  await expect(page.locator('#child_iin-error')).toContainText('6 жастан');
  // Not born yet.
  await page.fill('#child_iin', iin('2027-03-01', true, 17) || iin('2027-03-01', true, 18));
  await expect(page.locator('#child_iin-error')).toContainText('әлі келмеген');
  // A landline is not a mobile number; the same number twice is refused.
  await page.fill('#phone1', '+7 727 250 00 00');
  await page.locator('#phone1').blur();
  await expect(page.locator('#phone1-error')).not.toBeEmpty();
  await page.fill('#phone1', '+7 701 555 00 11');
  await page.fill('#phone2', '87015550011');
  await page.locator('#phone2').blur();
  await expect(page.locator('#phone1-error')).toBeEmpty();
  await expect(page.locator('#phone2-error')).not.toBeEmpty();
  // A privileged class needs its document; sending shows every mistake at once, nothing sent.
  await page.fill('#child_iin', good);
  await page.check('input[name="form[priority]"][value="primary"]');
  await page.click('form.form button[type="submit"]');
  await expect(page).toHaveURL(/\/apply$/);
  await expect(page.locator('#priority_doc-error')).not.toBeEmpty();
  await expect(page.locator('#child_name-error')).not.toBeEmpty();
  await expect(page.locator('#district-error')).not.toBeEmpty();
  await shot(page, testInfo, 'apply-mistakes-kk');
});

test('a child already in the queue is refused with the reason, and nothing changes', async ({ page, context }, testInfo) => {
  await context.addCookies([{ name: 'kezek_lang', value: 'ru', url: testInfo.project.use.baseURL }]);
  await signInAsParent(page, testInfo, person(1987).iin, '/apply');
  // A new child (a random IIN the demo city happens to hold is tried again).
  let child;
  for (let attempt = 0; attempt < 3; attempt++) {
    child = person(2023);
    await fillApplication(page, child, 'Нұрлан', 'general');
    await page.click('form.form button[type="submit"]');
    await Promise.race([page.waitForURL(/\/my\?applied=/), page.locator('.alert').waitFor()]);
    if (/\/my\?applied=/.test(page.url())) break;
    await page.goto('/apply');
    await hydrated(page, testInfo);
  }
  await expect(page).toHaveURL(/\/my\?applied=/);
  await page.goto('/apply');
  await hydrated(page, testInfo);
  await fillApplication(page, child, 'Нұрлан', 'general');
  await page.click('form.form button[type="submit"]');
  await expect(page.locator('.alert')).toContainText('уже есть открытое заявление');
  await page.goto('/my');
  await expect(page.locator('article.child')).toHaveCount(1);
});

test('two parents choose the last seat: one gets it, the other is told and sees the list without it', async ({ browser, request }, testInfo) => {
  test.skip(testInfo.project.name !== 'js', 'one run is enough: two browsers at once');
  test.setTimeout(120_000);
  const baseURL = testInfo.project.use.baseURL;
  const parents = [];
  for (const who of ['A', 'B']) {
    const context = await browser.newContext({ baseURL, locale: 'ru-RU' });
    await context.addCookies([{ name: 'kezek_lang', value: 'ru', url: baseURL }]);
    const page = await context.newPage();
    await signInAsParent(page, testInfo, person(1985).iin, '/apply');
    let number;
    while (!number) {
      await fillApplication(page, person(2021), `Ребёнок ${who}`);
      await page.click('form.form button[type="submit"]');
      await Promise.race([page.waitForURL(/\/my\?applied=/), page.locator('.alert').waitFor()]);
      number = new URL(page.url()).searchParams.get('applied');
      if (!number) await page.goto('/apply');
    }
    parents.push({ context, page, number });
  }
  const invited = (p) => async () => {
    const res = await p.page.request.post('/api/queue/invitation', { form: { public_no: p.number } });
    return res.status() === 200 && (await res.json()) !== null;
  };
  let from = 360;
  let ours;
  for (const p of parents) {
    ours = await postSeatsUntilInvited(request, invited(p), 2021, from);
    from = ours + 1;
  }

  // Both see the choice; then one kindergarten is down to its last seat.
  const [a, b] = parents;
  for (const p of parents) {
    await p.page.goto(`/choose/${p.number}`);
    await hydrated(p.page, testInfo);
  }
  const last = a.page.locator(`label.seat:has(input[value="${ours}"])`);
  const number = await last.getAttribute('data-kindergarten');
  const res = await request.post('/api/head/seats', { form: { kindergarten_id: ours, cohort: 2021, free: 1 } });
  expect(res.status()).toBe(200);

  // Both pick it and confirm at the same moment (their lists are live: a seat gone before
  // they pick would leave their lists at once).
  for (const p of parents) await p.page.locator(`label.seat[data-kindergarten="${number}"]`).click();
  // Both confirms pressed within a few milliseconds (no waiting between them).
  await Promise.all(parents.map((p) => p.page.evaluate(() => document.querySelector('.sticky-actions button').click())));
  // One gets it; the other is told, nothing is taken, and the list no longer has it.
  await expect.poll(() => parents.filter((p) => /\/referrals\//.test(p.page.url())).length).toBe(1);
  const loser = parents.find((p) => !/\/referrals\//.test(p.page.url()));
  await expect(loser.page.locator('.alert')).toBeVisible();
  await expect(loser.page.locator('.alert')).toContainText('занял');
  await expect(loser.page).toHaveURL(new RegExp(`/choose/${loser.number}$`));
  await expect(loser.page.locator(`label.seat[data-kindergarten="${number}"]`)).toHaveCount(0);
  await expect(loser.page.locator('label.seat').first()).toBeVisible();
  const inv = await loser.page.request.post('/api/queue/invitation', { form: { public_no: loser.number } });
  expect(await inv.json()).not.toBeNull();
  for (const p of parents) await p.context.close();
});
