// Screenshots of Analyze mode: the web/app/db sample analysed (heat strips, years, table), and a
// row opened in the player, at 1280 x 800 and 1920 x 1080, light and dark.
//   node tests/e2e/analyze-looks.mjs dist [OUTDIR]
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import { serve, launch } from './serve.mjs';

const dist = process.argv[2] || 'dist';
const out = process.argv[3] || 'target/screenshots/analyze';
fs.mkdirSync(out, { recursive: true });
const { url, close } = await serve(dist);
const browser = await launch(chromium);
for (const [width, height] of [[1280, 800], [1920, 1080]]) {
  for (const colorScheme of ['light', 'dark']) {
    const page = await browser.newPage({ viewport: { width, height }, colorScheme });
    page.on('pageerror', (e) => console.log('pageerror', String(e)));
    page.on('console', (m) => { if (m.type() === 'error') console.log('console', m.text()); });
    await page.goto(url);
    await page.evaluate(() => localStorage.clear());
    await page.reload();
    await page.waitForSelector('[data-testid="host-host-1"]');
    const name = `${width}x${height}-${colorScheme}`;
    const t0 = Date.now();
    await page.click('[data-testid="mode-analyze"]');
    await page.waitForSelector('[data-testid="year-web"]', { timeout: 60000 });
    console.log(name, 'analysis shown after', Date.now() - t0, 'ms (includes loading the simulator)');
    await page.waitForTimeout(300);
    await page.screenshot({ path: `${out}/analyze-${name}.png` });
    await page.selectOption('[data-testid="compare-with"]', 'sample:quorum-four-nodes-witness');
    await page.waitForSelector('[data-testid="comparison"]', { timeout: 60000 });
    await page.$eval('[data-testid="comparison"]', (el) => el.scrollIntoView());
    await page.waitForTimeout(300);
    await page.screenshot({ path: `${out}/compare-${name}.png` });
    // Side by side in Simulate: B under A's script on the same timeline, at 1:15.
    await page.click('[data-testid="mode-simulate"]');
    await page.check('[data-testid="twin-toggle"]');
    await page.waitForSelector('[data-testid="twin"]');
    await page.$eval('[data-testid="timeline"]', (el) => {
      el.value = '75000';
      el.dispatchEvent(new Event('input', { bubbles: true }));
    });
    await page.waitForTimeout(400);
    await page.screenshot({ path: `${out}/twin-${name}.png` });
    await page.uncheck('[data-testid="twin-toggle"]');
    await page.click('[data-testid="mode-analyze"]');
    await page.click('[data-testid="compare-stop"]');
    // The inspector's failure rates of a host, in Design mode.
    await page.click('[data-testid="mode-design"]');
    await page.click('[data-testid="host-host-2"] text.title');
    await page.waitForSelector('[data-testid="reliability"]');
    await page.$eval('[data-testid="reliability"]', (el) => { el.open = true; el.scrollIntoView(); });
    await page.waitForTimeout(200);
    await page.screenshot({ path: `${out}/rates-${name}.png` });
    await page.click('[data-testid="mode-analyze"]');
    await page.click('[data-testid="analysis-row"] >> nth=0');
    await page.waitForSelector('[data-testid="opened-case"]');
    await page.waitForTimeout(300);
    await page.screenshot({ path: `${out}/opened-${name}.png` });
    await page.close();
  }
}
console.log(`screenshots in ${out}`);
await browser.close();
close();
