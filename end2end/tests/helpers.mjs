// What several browser tests share: the server's database read beside it, the demo head's
// tablet signed in, and axe-core's serious findings.
import { expect } from '@playwright/test';
import { AxeBuilder } from '@axe-core/playwright';
import { execFileSync } from 'node:child_process';

const DB = `${process.env.KEZEK_E2E_DIR || '/tmp/kezek-e2e'}/kezek.db`;

/** Rows of a query on the server's SQLite file (read beside the running server). */
export function sql(query, ...args) {
  const py = 'import json,sqlite3,sys\nc=sqlite3.connect(sys.argv[1])\nprint(json.dumps(c.execute(sys.argv[2], json.loads(sys.argv[3])).fetchall()))';
  return JSON.parse(execFileSync('python3', ['-c', py, DB, query, JSON.stringify(args)]).toString());
}

/** Runs a change on the server's SQLite file beside the running server (as a clock moved on
 * would: the server reads the rows it acts on). */
export function sqlChange(query, ...args) {
  const py = 'import json,sqlite3,sys\nc=sqlite3.connect(sys.argv[1], timeout=30)\nn=c.execute(sys.argv[2], json.loads(sys.argv[3])).rowcount\nc.commit()\nprint(n)';
  return Number(execFileSync('python3', ['-c', py, DB, query, JSON.stringify(args)]).toString());
}

/** The free seats of an age group now. */
export const freeNow = (kg, cohort) => sql('SELECT free FROM seats WHERE kindergarten_id = ? AND cohort = ?', kg, cohort)[0][0];

/** A new browser context at `viewport` in `lang`, signed in as the demo head on /head; its
 * page errors (a hydration mismatch shows as one) are collected in `errors`; `permissions`
 * are granted to the site (the camera). */
export async function tablet(browser, viewport, lang, baseURL, permissions = []) {
  const context = await browser.newContext({ viewport, hasTouch: true, locale: 'en-US', permissions });
  await context.addCookies([{ name: 'kezek_lang', value: lang, url: baseURL }]);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${baseURL}/sign-in?as=head&next=%2Fhead`);
  await page.click('[data-testid="dev-sign-in"] button[data-role="head"]');
  await expect(page).toHaveURL(/\/head$/);
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
  return { context, page, errors };
}

/** No serious or critical accessibility finding on the page (axe-core runs in the page: with
 * JavaScript only). */
export async function axe(page) {
  const results = await new AxeBuilder({ page }).analyze();
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(bad.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target).join(' ')})`)).toEqual([]);
}

const W1 = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
const W2 = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2];

/** An IIN with a right check digit for a person born on `date` (or null when none exists). */
export function iin(date, female, serial) {
  const [y, m, d] = date.split('-').map(Number);
  const century = y >= 2000 ? (female ? 6 : 5) : female ? 4 : 3;
  const digits = `${String(y % 100).padStart(2, '0')}${String(m).padStart(2, '0')}${String(d).padStart(2, '0')}${century}${String(serial).padStart(4, '0')}`
    .split('').map(Number);
  const sum = (w) => digits.reduce((s, x, i) => s + x * w[i], 0) % 11;
  let c = sum(W1);
  if (c === 10) c = sum(W2);
  return c === 10 ? null : digits.join('') + c;
}

/** A random whole number below `n`. */
export const rand = (n) => Math.floor(Math.random() * n);
/** Someone born in `year` with a valid IIN: `{ iin, date }`. */
export function person(year) {
  for (;;) {
    const date = `${year}-${String(1 + rand(9)).padStart(2, '0')}-${String(1 + rand(28)).padStart(2, '0')}`;
    const id = iin(date, rand(2) === 1, rand(10000));
    if (id) return { iin: id, date };
  }
}

/** Each project's visitor: a phone in Kazakh, a computer in Russian with JavaScript and in
 * English without; the page's errors (a script's, or one it logs) collected in `errors`. */
export async function visitor(browser, testInfo) {
  const phone = testInfo.project.name === 'phone';
  const js = testInfo.project.name !== 'nojs';
  const lang = phone ? 'kk' : js ? 'ru' : 'en';
  const baseURL = testInfo.project.use.baseURL;
  const context = await browser.newContext({
    viewport: phone ? { width: 390, height: 844 } : { width: 1280, height: 900 },
    isMobile: phone,
    hasTouch: phone,
    javaScriptEnabled: js,
  });
  await context.addCookies([{ name: 'kezek_lang', value: lang, url: baseURL }]);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
  return { phone, js, lang, baseURL, context, page, errors };
}
