// Screenshots of a lesson opened from its link (the student's view, then the author's), at 1280 x 800 and
// 1920 x 1080, light and dark.
//   node tests/e2e/lesson-looks.mjs dist FRAGMENT [OUTDIR]
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import { serve, launch } from './serve.mjs';

const dist = process.argv[2] || 'dist';
const fragment = process.argv[3];
const out = process.argv[4] || 'target/screenshots/lesson';
fs.mkdirSync(out, { recursive: true });
const { url, close } = await serve(dist);
const browser = await launch(chromium);
for (const [width, height] of [[1280, 800], [1920, 1080]]) {
  for (const colorScheme of ['light', 'dark']) {
    const page = await browser.newPage({ viewport: { width, height }, colorScheme });
    page.on('pageerror', (e) => console.log('pageerror', String(e)));
    await page.goto(`${url}#${fragment}`);
    await page.waitForSelector('[data-testid="lesson"]', { timeout: 30000 });
    await page.waitForTimeout(1200);
    await page.click('[data-testid="lesson-hint-0"] summary');
    await page.screenshot({ path: `${out}/lesson-${width}x${height}-${colorScheme}.png` });
    // Design mode with a locked part selected: the locks on the canvas, the read-only fields.
    await page.click('[data-testid="mode-design"]');
    for (const mark of await page.$$('[data-testid^="lock-mark-"]')) {
      const id = (await mark.getAttribute('data-testid')).replace('lock-mark-', '');
      const box = await page.$(`[data-id="${id}"]`);
      if (box) { await box.click(); break; }
    }
    await page.waitForTimeout(400);
    await page.screenshot({ path: `${out}/locked-${width}x${height}-${colorScheme}.png` });
    await page.close();
    // The same link in author mode, in a fresh browser: the card edits the lesson.
    const context = await browser.newContext({ viewport: { width, height }, colorScheme });
    const author = await context.newPage();
    await author.goto(`${url}?author#${fragment}`);
    await author.waitForSelector('[data-testid="lesson-author"]', { state: 'attached', timeout: 30000 });
    await author.$eval('[data-testid="lesson-author"]', (el) => el.scrollIntoView());
    await author.waitForTimeout(800);
    await author.screenshot({ path: `${out}/author-${width}x${height}-${colorScheme}.png` });
    await context.close();
  }
}
console.log(`screenshots in ${out}`);
await browser.close();
close();
