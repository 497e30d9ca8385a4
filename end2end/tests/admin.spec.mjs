// The education department's page (issue 15, point 5), written whole by the server (no script):
// dev sign-in as the department, two
// kindergartens' former queues uploaded (a byte-order mark, semicolons, one child in both, a bad
// row), checked (nothing changes), exactly those files imported, and checked again (nothing
// imported twice); the check's form used again finds it gone. Plain forms: on a phone in Kazakh,
// on a computer in Russian with JavaScript and in English without; axe-core where it runs.
import { test, expect } from '@playwright/test';
import { axe, iin, person, sql, visitor } from './helpers.mjs';

const HEADER = 'child_iin,child_name,birth_date,parent_iin,phone1,phone2,email,applied_at,priority,source_kindergarten,district,language';

/** Children born in 2025 (no other test's age group), with valid IINs of their own. */
function children(n) {
  const seen = new Set();
  const out = [];
  while (out.length < n) {
    const c = person(2025);
    const taken = sql('SELECT COUNT(*) FROM applications WHERE child_iin = ?', c.iin)[0][0];
    if (!seen.has(c.iin) && taken === 0) {
      seen.add(c.iin);
      out.push(c);
    }
  }
  return out;
}

const numbers = () => sql('SELECT number FROM kindergartens WHERE in_queue = 1 ORDER BY number LIMIT 2').map((r) => r[0]);

test('the department checks and imports former queues; a second time nothing is imported', async ({ browser }, testInfo) => {
  const { phone, js, lang, baseURL, context, page, errors } = await visitor(browser, testInfo);

  // Not signed in: off to sign in as the department, and back.
  await page.goto(`${baseURL}/admin`);
  await expect(page).toHaveURL(/\/sign-in\?as=admin&next=%2Fadmin$/);
  await page.click('[data-testid="dev-sign-in"] button[data-role="admin"]');
  await expect(page).toHaveURL(/\/admin$/);
  await expect(page.locator('html')).toHaveAttribute('lang', lang);

  const [a, b, c] = children(3);
  const parent = iin('1990-05-05', true, 4321);
  const [kg1, kg2] = numbers();
  const row = (child, applied, priority, kg) =>
    [child.iin, 'Әлия Серікқызы', child.date, parent, '+7 701 555 44 33', '', '', applied, priority, kg, 'medeu', 'kk'];
  const first = '\ufeff' + [HEADER, row(a, '2025-10-15', 'general', kg1), row(b, '2025-10-20T09:30', 'primary', kg1)]
    .map((r) => (Array.isArray(r) ? r.join(',') : r)).join('\r\n');
  const second = [HEADER.replaceAll(',', ';'), row(a, '2025-10-01', 'general', kg2), row(c, '2025-10-25', 'general', 99999)]
    .map((r) => (Array.isArray(r) ? r.join(';') : r)).join('\n');
  const files = [
    { name: `kg-${kg1}.csv`, mimeType: 'text/csv', buffer: Buffer.from(first) },
    { name: `kg-${kg2}.csv`, mimeType: 'text/csv', buffer: Buffer.from(second) },
  ];
  const count = () => sql(`SELECT COUNT(*) FROM applications WHERE child_iin IN (?, ?, ?)`, a.iin, b.iin, c.iin)[0][0];

  // Check: the report says what would happen; nothing changes.
  await page.setInputFiles('#import-files', files);
  await page.locator('.import-form button[value="check"]').click();
  await expect(page).toHaveURL(/\/admin\?check=[0-9a-f]{64}$/);
  const checkUrl = page.url();
  const report = page.locator('[data-testid="import-report"]');
  await expect(report).toHaveAttribute('data-dry-run', 'true');
  await expect(report).toHaveAttribute('data-imported', '2');
  await expect(report.locator('.merged li')).toHaveCount(1);
  await expect(report.locator('.merged li')).toContainText(`№${kg1}, №${kg2}`);
  await expect(report.locator('.refused li')).toContainText(`kg-${kg2}.csv:3`);
  expect(count()).toBe(0);
  if (js) await axe(page);
  await page.screenshot({ path: `screenshots/${phone ? 'phone' : 'desktop'}-admin-import-check-${lang}.png`, fullPage: true });

  // Import exactly the files checked, for a reason (without one: said, nothing imported): both
  // children enter the queue, the merged one at its earliest date.
  await page.locator('[data-testid="import-confirm"]').click();
  await expect(page.locator('[data-testid="import-no-reason"]')).toBeVisible();
  expect(count()).toBe(0);
  await page.locator('#import-reason').fill(`приказ ${lang} об объединении очередей`);
  await page.locator('[data-testid="import-confirm"]').click();
  await expect(page).toHaveURL(/\/admin\?run=\d+$/);
  await expect(report).toHaveAttribute('data-dry-run', 'false');
  await expect(report).toHaveAttribute('data-imported', '2');
  expect(count()).toBe(2);
  const [[applied, priority]] = sql('SELECT applied_at, priority FROM applications WHERE child_iin = ?', a.iin);
  expect(applied).toBe(Date.parse('2025-10-01T00:00:00+05:00'));
  expect(priority).toBe(2);
  const run = Number(new URL(page.url()).searchParams.get('run'));
  const [[by]] = sql('SELECT by_whom FROM legacy_imports WHERE id = ?', run);
  expect(by).toMatch(/^admin #\d+$/);
  const [[logged]] = sql("SELECT body FROM events WHERE kind = 'legacy.imported' AND body LIKE ?", `%"import":${run},%`);
  expect(JSON.parse(logged)).toMatchObject({ import: run, by, reason: `приказ ${lang} об объединении очередей` });
  await expect(page.locator('[data-testid="import-runs"]')).toContainText(`№${run}`);
  if (js) await axe(page);
  await page.screenshot({ path: `screenshots/${phone ? 'phone' : 'desktop'}-admin-import-done-${lang}.png`, fullPage: true });

  // The check's form again (back, resent): it is gone, nothing imported twice.
  await page.goto(checkUrl);
  await expect(page.locator('[data-testid="import-gone"]')).toBeVisible();
  await expect(page.locator('[data-testid="import-confirm"]')).toHaveCount(0);
  // The same files checked again: nothing would change, and the report says so.
  await page.setInputFiles('#import-files', files);
  await page.locator('.import-form button[value="check"]').click();
  await expect(report).toHaveAttribute('data-dry-run', 'true');
  await expect(report).toHaveAttribute('data-imported', '0');
  await expect(page.locator('[data-testid="import-nothing-twice"]')).toBeVisible();
  await expect(page.locator('[data-testid="import-confirm"]')).toHaveCount(0);
  expect(count()).toBe(2);
  expect(errors).toEqual([]);
  await context.close();
});

test('only the department may see the page and upload', async ({ page, request }, testInfo) => {
  test.skip(testInfo.project.name !== 'js', 'once');
  const upload = { action: 'check', files: { name: 'a.csv', mimeType: 'text/csv', buffer: Buffer.from(HEADER) } };
  expect((await request.post('/admin/import', { multipart: upload })).status()).toBe(401);
  // A parent is signed in, but is not the department.
  await page.goto('/sign-in?next=%2Fmy');
  await page.click('[data-testid="dev-sign-in"] button[data-role="parent"]');
  await expect(page).toHaveURL(/\/my$/);
  expect((await page.request.post('/admin/import', { multipart: upload })).status()).toBe(403);
  await page.goto('/admin');
  await expect(page).toHaveURL(/\/sign-in\?as=admin/);
});

test('the department assigns a head with a reason and revokes the role; mistakes are said', async ({ browser }, testInfo) => {
  const { phone, js, lang, baseURL, context, page } = await visitor(browser, testInfo);
  await page.goto(`${baseURL}/sign-in?as=admin&next=%2Fadmin`);
  await page.click('[data-testid="dev-sign-in"] button[data-role="admin"]');
  await expect(page).toHaveURL(/\/admin$/);

  // Someone born in 1985 with a valid IIN nobody holds a role with; a kindergarten far from
  // the demo head's (the first).
  let head;
  do head = person(1985); while (sql('SELECT COUNT(*) FROM heads WHERE iin = ?', head.iin)[0][0] > 0);
  const [[kg, number]] = sql('SELECT id, number FROM kindergartens WHERE in_queue = 1 ORDER BY number DESC LIMIT 1 OFFSET ?', phone ? 1 : js ? 2 : 3);
  const form = page.locator('form.head-assign');

  // A mistyped IIN: said, nothing assigned.
  await form.locator('#head-iin').fill(head.iin.slice(0, 11) + String((Number(head.iin[11]) + 1) % 10));
  await form.locator('#head-kindergarten').fill(String(number));
  await form.locator('#head-reason').fill('приказ 12-к');
  await form.locator('button').click();
  await expect(page.locator('[data-testid="heads-outcome"].error')).toBeVisible();
  expect(sql('SELECT COUNT(*) FROM heads WHERE iin = ?', head.iin)[0][0]).toBe(0);

  await form.locator('#head-iin').fill(head.iin);
  await form.locator('#head-kindergarten').fill(String(number));
  await form.locator('#head-reason').fill('приказ 12-к');
  await form.locator('button').click();
  await expect(page.locator('[data-testid="heads-outcome"].notice')).toBeVisible();
  const [[assignment, at]] = sql('SELECT id, kindergarten_id FROM heads WHERE iin = ?', head.iin);
  expect(at).toBe(kg);
  const item = page.locator(`.heads li[data-assignment="${assignment}"]`);
  await expect(item).toContainText(`№${number}`);
  await expect(item).not.toContainText(head.iin);
  // (SQLite may give a revoked assignment's number again: the latest event with it.)
  const [[body]] = sql("SELECT body FROM events WHERE kind = 'role.head_assigned' AND body LIKE ? ORDER BY seq DESC LIMIT 1", `%"assignment":${assignment},%`);
  expect(JSON.parse(body)).toMatchObject({ assignment, kindergarten_id: kg, by: expect.stringMatching(/^admin #\d+$/), reason: 'приказ 12-к' });
  expect(body).not.toContain(head.iin);
  if (js) await axe(page);
  await page.screenshot({ path: `screenshots/${phone ? 'phone' : 'desktop'}-admin-heads-${lang}.png`, fullPage: true });

  // Revoked, with its reason.
  await item.locator('input[name="reason"]').fill('переведён');
  await item.locator('button').click();
  await expect(page.locator('[data-testid="heads-outcome"].notice')).toBeVisible();
  await expect(page.locator(`.heads li[data-assignment="${assignment}"]`)).toHaveCount(0);
  expect(sql('SELECT COUNT(*) FROM heads WHERE iin = ?', head.iin)[0][0]).toBe(0);
  const [[revoked]] = sql("SELECT body FROM events WHERE kind = 'role.head_revoked' AND body LIKE ? ORDER BY seq DESC LIMIT 1", `%"assignment":${assignment},%`);
  expect(JSON.parse(revoked)).toMatchObject({ reason: 'переведён' });
  await context.close();
});
