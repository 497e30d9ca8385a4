// axe-core (from npm) on every page: no serious or critical violation. Also saves a
// screenshot of each page for people to look at (end2end/screenshots/).
import { test, expect } from '@playwright/test';
import { AxeBuilder } from '@axe-core/playwright';

const pages = [
  ['directory', '/'],
  ['directory-filtered', '/?district=bostandyk&free=1'],
  ['directory-error', '/?district=moscow'],
  ['kindergarten', '/kindergartens/1'],
  ['kindergarten-specialized', '/?q=%D0%BC%D0%B0%D0%BC%D0%B0%D0%BD%D0%B4%D0%B0%D0%BD%D0%B4%D1%8B%D1%80%D1%8B%D0%BB%D2%93%D0%B0%D0%BD'],
  ['not-found', '/no/such/page'],
  ['sign-in', '/sign-in?next=/account'],
  ['sign-in-refused', '/sign-in?error=signingkey&next=/account'],
];

for (const [name, path] of pages) {
  for (const lang of ['kk', 'ru', 'en']) {
    test(`${name} (${lang}) has no serious accessibility violations`, async ({ page, context }, testInfo) => {
      test.skip(testInfo.project.use.javaScriptEnabled === false, 'axe runs as a script in the page');
      await context.addCookies([{ name: 'kezek_lang', value: lang, url: testInfo.project.use.baseURL }]);
      await page.goto(path);
      await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
      await expect(page.locator('html')).toHaveAttribute('lang', lang);
      const results = await new AxeBuilder({ page }).analyze();
      const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      expect(bad.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`)).toEqual([]);
      if (lang === 'ru' || testInfo.project.name === 'phone') {
        await page.screenshot({ path: `screenshots/${testInfo.project.name}-${name}-${lang}.png`, fullPage: false });
      }
    });
  }
}
