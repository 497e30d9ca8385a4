// The referrals on the head's tablet (1024×768 and 768×1024): a staff member's child admitted
// with the form, checked by its code, extended and enrolled; checked with the tablet's camera
// (Chromium's fake camera playing a picture of the referral's QR code); and a flaky
// connection: a change whose answer is lost, or that never arrives, is said so and sent again,
// counted once. The age group born in 2024 of the demo head's kindergarten is this file's own.
import { test, expect, chromium } from '@playwright/test';
import { PNG } from 'pngjs';
import { writeFileSync } from 'node:fs';
import { axe, freeNow, sql, tablet as signedIn } from './helpers.mjs';

const COHORT = 2024;
const KG = () => sql('SELECT id FROM kindergartens ORDER BY number LIMIT 1')[0][0];

test.skip(({ javaScriptEnabled, isMobile }) => !javaScriptEnabled || isMobile, 'tablets: once, with JavaScript');

function tablet(browser, viewport, lang) {
  return signedIn(browser, viewport, lang, test.info().project.use.baseURL);
}

/** The newest waiting application of the age group (a staff member's child for the test). */
const waiting = () => sql(`SELECT public_no FROM applications WHERE cohort = ? AND status = 'waiting' ORDER BY id DESC LIMIT 1`, COHORT)[0][0];
const card = (page) => page.locator(`article.head-group[data-cohort="${COHORT}"]`);

/** One seat more for the age group, from the tablet's page. */
async function oneSeatMore(page, kg) {
  const before = freeNow(kg, COHORT);
  await card(page).locator('button.step').last().click();
  await expect(card(page).locator('[data-testid="free"]')).toHaveText(String(before + 1));
}

test('the head admits a staff member\'s child with the form, checks the referral by its code, extends it and enrols the child', async ({ browser }) => {
  const kg = KG();
  const t = await tablet(browser, { width: 1024, height: 768 }, 'ru');
  const number = waiting();
  // Without a free seat the order is refused, and says why.
  const staff = t.page.locator('[data-testid="staff-child"]');
  const admit = async (no, order, reason) => {
    if (!(await staff.evaluate((d) => d.open))) await staff.locator('summary').click();
    await staff.locator('#staff-no').fill(no);
    await staff.locator('#staff-order').fill(order);
    await staff.locator('#staff-reason').fill(reason);
    await staff.locator('[data-testid="admit"]').click();
  };
  await card(t.page).locator('input[type="number"]').fill('0');
  await card(t.page).locator('.set-seats button').click();
  await expect(card(t.page).locator('[data-testid="free"]')).toHaveText('0');
  await admit(number, '№ 17-к от 20.11.2026', 'Сын воспитателя');
  await expect(staff.locator('.alert')).toContainText('нет свободного места');
  expect(sql('SELECT status FROM applications WHERE public_no = ?', number)[0][0]).toBe('waiting');
  // The refused form stays open as it was typed, with the refusal.
  await expect(staff.locator('#staff-order')).toHaveValue('№ 17-к от 20.11.2026');
  await staff.scrollIntoViewIfNeeded();
  await t.page.screenshot({ path: 'screenshots/tablet-head-staff-refused-ru.png', fullPage: false });
  await oneSeatMore(t.page, kg);
  // A number that is no application: said so.
  await admit('ALM-1999-000000', '№ 17-к от 20.11.2026', 'Сын воспитателя');
  await expect(staff.locator('.alert')).toContainText('Заявления с таким номером нет');
  await admit(number, '№ 17-к от 20.11.2026', 'Сын воспитателя');
  const referral = () => sql('SELECT code, staff_reason FROM referrals r JOIN applications a ON a.id = r.application_id WHERE a.public_no = ?', number);
  await expect.poll(() => referral().length).toBe(1);
  const [[code, reason]] = referral();
  expect(reason).toBe('Сын воспитателя');
  const line = t.page.locator(`li.referral-line[data-code="${code}"]`);
  await expect(line.locator('[data-testid="ref-state"]')).toHaveText('Действует');
  await expect(line).toContainText('Ребёнок сотрудника, приказ № 17-к');
  await expect(line.locator('[data-testid="days-left"]')).toContainText(/осталось? \d+ рабоч/);
  // The public record of referrals: the staff order stands out, with its order and reason, and
  // without the child's number.
  const [[kgNumber]] = sql('SELECT number FROM kindergartens WHERE id = ?', kg);
  const record = await t.context.newPage();
  await record.goto(`/protocols/referrals?kindergarten=${kgNumber}`);
  await expect(record.locator('body[data-hydrated="true"]')).toHaveCount(1);
  const row = record.locator(`tr[data-code="${code}"]`);
  await expect(row).toHaveClass(/staff-line/);
  await expect(row.locator('[data-testid="flag-staff"]')).toContainText('№ 17-к от 20.11.2026');
  await expect(row.locator('[data-testid="flag-staff"]')).toContainText('Сын воспитателя');
  await expect(row).not.toContainText(number);
  await axe(record);
  await record.screenshot({ path: 'screenshots/tablet-referrals-protocol-ru.png', fullPage: false });
  await record.close();

  // Checked by its code, as read over the phone (in small letters and with spaces).
  await t.page.fill('#check-code', ` ${code.toLowerCase()} `);
  await t.page.click('.check-referral button');
  const checked = t.page.locator('[data-testid="checked"]');
  await expect(checked).toContainText(code);
  await expect(checked.locator('[data-testid="ref-state"]')).toHaveText('Действует');
  await expect(checked.locator('[data-testid="signed"]')).toHaveCount(0);
  // Where the tablet gives no camera (here: no permission), the camera button says so.
  await t.page.click('[data-testid="scan"]');
  await expect(t.page.locator('[data-testid="no-camera"]')).toBeVisible();
  await expect(t.page.locator('.camera')).toBeHidden();
  // A code that is no referral: said so.
  await t.page.fill('#check-code', 'ZZZZ-ZZZZ');
  await t.page.click('.check-referral button');
  await expect(t.page.locator('.check-result .alert')).toContainText('Направления с таким кодом нет');

  // Extended to a later day, with a reason.
  const until = new Date(Date.now() + 20 * 86400000).toISOString().slice(0, 10);
  await line.locator('details.extend summary').click();
  await line.locator('input[type="date"]').fill(until);
  await line.locator('input[name="reason"]').fill('Ребёнок болеет, справка № 5');
  await line.locator('[data-testid="extend"]').click();
  const [y, m, d] = until.split('-');
  await expect(line).toContainText(`${d}.${m}.${y}`);
  await t.page.screenshot({ path: 'screenshots/tablet-head-referrals-ru.png', fullPage: true });
  await axe(t.page);

  // Enrolled: the child leaves the queue.
  await line.locator('[data-testid="enrol"]').click();
  await expect(line.locator('[data-testid="ref-state"]')).toHaveText('Ребёнок зачислен');
  expect(sql('SELECT status FROM applications WHERE public_no = ?', number)[0][0]).toBe('enrolled');
  expect(t.errors).toEqual([]);
  await t.context.close();
});

/** A YUV4MPEG2 picture (640×480, grey: the chroma planes flat) of `png` centred on white,
 * scaled to `side` pixels by nearest neighbour, two frames (the fake camera loops it). */
function y4mOf(png, side) {
  const [w, h] = [640, 480];
  const luma = Buffer.alloc(w * h, 235);
  const [left, top] = [(w - side) >> 1, (h - side) >> 1];
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const i = (Math.floor((y * png.height) / side) * png.width + Math.floor((x * png.width) / side)) * 4;
      const grey = 0.299 * png.data[i] + 0.587 * png.data[i + 1] + 0.114 * png.data[i + 2];
      luma[(top + y) * w + left + x] = Math.round(16 + (grey * 219) / 255);
    }
  }
  const chroma = Buffer.alloc((w / 2) * (h / 2) * 2, 128);
  const frame = Buffer.concat([Buffer.from('FRAME\n'), luma, chroma]);
  return Buffer.concat([Buffer.from(`YUV4MPEG2 W${w} H${h} F10:1 Ip A1:1 C420jpeg\n`), frame, frame]);
}

test('the head checks a referral with the tablet\'s camera: the QR code is read, its signature and state checked', async ({ browser }, testInfo) => {
  const kg = KG();
  // A referral to check, and its printed page as the head sees it.
  const t = await tablet(browser, { width: 768, height: 1024 }, 'kk');
  await oneSeatMore(t.page, kg);
  const number = waiting();
  const admitted = await t.page.request.post('/api/head/staff-child', {
    form: { kindergarten_id: kg, public_no: number, order: '№ 18-к', reason: 'Аспазшының қызы' },
  });
  expect(admitted.status(), await admitted.text()).toBe(200);
  const { code } = await admitted.json();
  await t.page.goto(`/referrals/${code}`);
  const qr = await t.page.locator('figure.qr').screenshot();
  await t.context.close();
  const video = testInfo.outputPath('referral.y4m');
  writeFileSync(video, y4mOf(PNG.sync.read(qr), 420));

  // A browser whose camera plays that picture.
  const { executablePath, args } = testInfo.project.use.launchOptions;
  const camera = await chromium.launch({
    executablePath,
    args: [...args, '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-video-capture=${video}`],
  });
  const c = await signedIn(camera, { width: 768, height: 1024 }, 'kk', testInfo.project.use.baseURL, ['camera']);
  const clicked = Date.now();
  await c.page.click('[data-testid="scan"]');
  await expect(c.page.locator('.camera video')).toBeVisible();
  const checked = c.page.locator('[data-testid="checked"]');
  await expect(checked).toContainText(code, { timeout: 20_000 });
  console.log(`the camera opened, read the QR code and the server checked it in ${Date.now() - clicked} ms`);
  await expect(checked.locator('[data-testid="signed"]')).toBeVisible();
  await expect(checked.locator('[data-testid="ref-state"]')).toHaveText('Жарамды');
  // The camera closes once it has read the code.
  await expect(c.page.locator('.camera')).toBeHidden();
  await c.page.screenshot({ path: 'screenshots/tablet-head-scanned-kk.png', fullPage: false });
  // Enrolled from the check.
  await checked.locator('[data-testid="enrol-checked"]').click();
  await expect(c.page.locator(`li.referral-line[data-code="${code}"] [data-testid="ref-state"]`)).not.toHaveText('Жарамды');
  expect(sql('SELECT state FROM referrals WHERE code = ?', code)[0][0]).toBe('enrolled');
  expect(c.errors).toEqual([]);
  await camera.close();
});

test('on a flaky connection a change that failed is said so and sent again, counted once', async ({ browser }) => {
  const kg = KG();
  const t = await tablet(browser, { width: 1024, height: 768 }, 'kk');
  const { page } = t;
  const postings = () => sql('SELECT COUNT(*) FROM seat_postings WHERE kindergarten_id = ? AND cohort = ?', kg, COHORT)[0][0];
  const start = freeNow(kg, COHORT);
  const before = postings();

  // One seat more: the server takes it, but its answer is lost on the way back.
  await page.route('**/api/head/seats', async (route) => {
    await route.fetch();
    await route.abort('connectionreset');
  }, { times: 1 });
  await card(page).locator('button.step').last().click();
  const unreached = page.locator('[data-testid="unreached"]');
  await expect(unreached).toBeVisible();
  await expect(unreached).toContainText('Сервермен байланыс болмады');
  // The tablet keeps what it showed; the server has the change.
  await expect(card(page).locator('[data-testid="free"]')).toHaveText(String(start));
  expect(freeNow(kg, COHORT)).toBe(start + 1);
  await page.screenshot({ path: 'screenshots/tablet-head-unreached-kk.png', fullPage: false });
  await axe(page);
  // Sent again: the same change, counted once.
  await unreached.locator('button').click();
  await expect(unreached).toHaveCount(0);
  await expect(card(page).locator('[data-testid="free"]')).toHaveText(String(start + 1));
  expect(freeNow(kg, COHORT)).toBe(start + 1);
  expect(postings()).toBe(before + 1);

  // An enrolment that never reaches the server: nothing happened; sent again, it goes through.
  const number = waiting();
  const admitted = await page.request.post('/api/head/staff-child', {
    form: { kindergarten_id: kg, public_no: number, order: '№ 19-к', reason: 'Күзетшінің ұлы' },
  });
  expect(admitted.status(), await admitted.text()).toBe(200);
  const { code } = await admitted.json();
  await page.reload();
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
  await page.route('**/api/head/enrol', (route) => route.abort('internetdisconnected'), { times: 1 });
  const line = page.locator(`li.referral-line[data-code="${code}"]`);
  await line.locator('[data-testid="enrol"]').click();
  await expect(unreached).toBeVisible();
  expect(sql('SELECT state FROM referrals WHERE code = ?', code)[0][0]).toBe('active');
  await unreached.locator('button').click();
  await expect(unreached).toHaveCount(0);
  await expect(line.locator('[data-testid="ref-state"]')).not.toHaveText('Жарамды');
  expect(sql('SELECT state FROM referrals WHERE code = ?', code)[0][0]).toBe('enrolled');
  expect(sql(`SELECT COUNT(*) FROM events WHERE kind = 'referral.enrolled' AND body LIKE ?`, `%${code}%`)[0][0]).toBe(1);
  expect(t.errors).toEqual([]);
  await t.context.close();
});
