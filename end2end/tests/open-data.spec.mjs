// The open data page, for anyone: the day's export and one made on demand, their files with
// checksums that hold, the signed checkpoint verified with the published key, nothing personal
// in any file; and `kezek audit replay` run against the export on demand of this very server
// (the demo city and whatever the other tests did meanwhile): no differences.
import { test, expect } from '@playwright/test';
import { createHash, createPublicKey, verify } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { axe, sql } from './helpers.mjs';

const sha256 = (buf) => createHash('sha256').update(buf).digest('hex');

test('the exports are listed, their files check out, the checkpoint is signed', async ({ page, request }, testInfo) => {
  const project = testInfo.project.name;
  const lang = project === 'phone' ? 'kk' : 'ru';
  await page.context().addCookies([{ name: 'kezek_lang', value: lang, url: testInfo.project.use.baseURL }]);
  // The day's export is made in the background at the start.
  await expect(async () => {
    await page.goto('/open-data');
    await expect(page.locator('article.export[data-testid^="export-2"]')).toHaveCount(1, { timeout: 1000 });
  }).toPass({ timeout: 60_000 });
  if (project !== 'nojs') await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
  await expect(page.locator('h1')).toHaveText(lang === 'kk' ? 'Ашық деректер' : 'Открытые данные');

  // An export on demand: the button (a plain form post without JavaScript).
  await page.locator('form.export-now button').click();
  const now = page.locator('article[data-testid="export-now"]');
  await expect(now).toHaveCount(1, { timeout: 30_000 });
  if (project !== 'nojs') await expect(page.locator('p.done[role="status"]')).toBeVisible();

  // Every file is linked, and SHA256SUMS holds for each (fetched as anyone would).
  const sums = await (await request.get('/open-data/now/SHA256SUMS')).text();
  const lines = sums.trim().split('\n').map((l) => l.split('  '));
  expect(lines.map((l) => l[1])).toContain('events.csv');
  expect(lines.length).toBe(11);
  for (const [sum, name] of lines) {
    const r = await request.get(`/open-data/now/${name}`);
    expect(r.status(), name).toBe(200);
    expect(sha256(await r.body()), name).toBe(sum);
  }
  for (const href of ['events.csv', 'queue.json', 'referrals.csv', 'seat-postings.json']) {
    await expect(now.locator(`a[href="/open-data/now/${href}"]`)).toHaveCount(1);
  }

  // Nothing personal: no IIN, name or phone of a waiting child in the queue or the log.
  const queue = await (await request.get('/open-data/now/queue.csv')).text();
  const events = await (await request.get('/open-data/now/events.csv')).text();
  const [[iin, name, phone1]] = sql(`SELECT child_iin, child_name, phone1 FROM applications WHERE status = 'waiting' ORDER BY id DESC LIMIT 1`);
  for (const text of [queue, events]) {
    expect(text).not.toContain(iin);
    expect(text).not.toContain(name);
    expect(text).not.toContain(phone1);
  }
  expect(queue.split('\r\n')[0]).toBe('pseudonym,application,cohort,applied_at,status,position');

  // The checkpoint shown is signed by the published key (checked here with Node's Ed25519).
  const key = await (await request.get('/open-data/checkpoint-key.json')).json();
  const [cp] = await (await request.get('/open-data/checkpoints.json')).json();
  const pub = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: key.x }, format: 'jwk' });
  const message = Buffer.from(`kezek-checkpoint-v1\n${cp.seq}\n${cp.hash}\n${cp.at}`);
  expect(verify(null, message, pub, Buffer.from(cp.signature, 'base64url'))).toBe(true);
  expect(verify(null, Buffer.from(`kezek-checkpoint-v1\n${cp.seq + 1}\n${cp.hash}\n${cp.at}`), pub, Buffer.from(cp.signature, 'base64url'))).toBe(false);
  await expect(page.locator('[data-testid="checkpoint"]')).toBeVisible();

  if (project !== 'nojs') await axe(page);
  const phone = project === 'phone';
  if (project !== 'nojs') {
    await page.screenshot({ path: `screenshots/${phone ? 'phone' : 'desktop'}-open-data-${lang}.png`, fullPage: true });
  }
  if (phone) {
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    // And in Russian, on the phone too.
    await page.context().addCookies([{ name: 'kezek_lang', value: 'ru', url: testInfo.project.use.baseURL }]);
    await page.goto('/open-data');
    await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
    await expect(page.locator('h1')).toHaveText('Открытые данные');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: 'screenshots/phone-open-data-ru.png', fullPage: true });
  }
});

test('the export on demand replays with kezek audit replay, no differences', async ({ request }, testInfo) => {
  test.skip(testInfo.project.name !== 'js', 'one replay is enough');
  test.setTimeout(120_000);
  const made = await request.post('/api/open-data/now', { headers: { 'content-type': 'application/x-www-form-urlencoded' }, data: '' });
  expect(made.status()).toBe(200);
  const bin = process.env.KEZEK_BIN || '../target/release/kezek';
  const out = execFileSync(bin, ['audit', 'replay', `${testInfo.project.use.baseURL}/open-data/now/`], {
    env: { PATH: process.env.PATH },
    encoding: 'utf8',
  });
  expect(out).toContain('no differences');
  const replayed = Number(out.match(/replayed (\d+) events/)[1]);
  expect(replayed).toBeGreaterThan(64_000);
  console.log(out.trim());
});
