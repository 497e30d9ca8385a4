// What the browser receives to make each page live: the script, the main WebAssembly module
// and the chunks of the page's own code (split at build time, compressed at build time). The
// figures are printed for the notes. The goal is 250 KB per page (issue 9), not met yet: the
// home page takes about 251.5 KB, a page whose code is split off 290-375 KB. Until it is, this
// guard only catches a page growing far past today's figures.
import { test, expect } from '@playwright/test';

const BUDGET = 420_000;

async function received(page, path) {
  const sizes = [];
  const onResponse = async (res) => {
    const url = res.url();
    if (!/\/pkg\/.*\.(wasm|js)$/.test(url)) return;
    const s = await res.request().sizes();
    sizes.push({ url, bytes: s.responseBodySize, encoding: (await res.allHeaders())['content-encoding'] });
  };
  page.on('response', onResponse);
  await page.goto(path);
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
  await page.waitForLoadState('networkidle');
  page.off('response', onResponse);
  return sizes;
}

test('each page\'s code, as the browser receives it, does not grow (brotli, split)', async ({ page, context }, testInfo) => {
  test.skip(testInfo.project.name !== 'js', 'measured once');
  await page.goto(`/sign-in?next=/my`);
  await page.fill('#dev-iin', '900101470014');
  await page.click('.dev-any button');
  await expect(page).toHaveURL(/\/my$/);
  const lines = [];
  for (const path of ['/', '/kindergartens/1', '/sign-in', '/account', '/apply', '/my']) {
    // A fresh page each time, with an empty cache: the first visit's cost.
    const fresh = await context.newPage();
    await fresh.route('**/*', (route) => route.continue());
    const sizes = await received(fresh, path);
    const total = sizes.reduce((s, x) => s + x.bytes, 0);
    lines.push([path, total, sizes]);
    await fresh.close();
  }
  console.log(`bundle as received (brotli): ${lines.map(([p, t, s]) => `${p} ${t} bytes in ${s.length} files`).join('; ')}`);
  for (const [path, total, sizes] of lines) {
    expect(sizes.filter((s) => s.url.endsWith('.wasm')).every((s) => s.encoding === 'br'), path).toBe(true);
    expect(total, `${path}: ${JSON.stringify(sizes)}`).toBeLessThan(BUDGET);
  }
});
