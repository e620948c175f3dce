// The analysis's time in the page (docs/performance.md): for each sample, from the click on
// Analyze (the simulator already loaded) to every run done, and how many workers ran them.
//   node tests/e2e/analyze-bench.mjs dist [sample...]
import { chromium } from 'playwright-core';
import { serve, launch } from './serve.mjs';

const dist = process.argv[2] || 'dist';
const samples = process.argv.length > 3 ? process.argv.slice(3) : ['web-app-db', 'sixteen-hosts', 'max-cluster'];
const { url, close } = await serve(dist);
const browser = await launch(chromium);
for (const sample of samples) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.on('pageerror', (e) => console.log('pageerror', String(e)));
  let workers = 0;
  page.on('worker', () => { workers += 1; });
  await page.goto(url);
  await page.evaluate(() => localStorage.clear());
  await page.reload();
  await page.waitForSelector('[data-testid="host-host-1"]');
  await page.click('[data-testid="open"]');
  await page.click(`[data-testid="sample-${sample}"]`);
  await page.waitForSelector('[data-testid="host-host-1"]');
  const t0 = Date.now();
  await page.click('[data-testid="mode-analyze"]');
  const took = await page.waitForFunction(() => {
    const t = document.querySelector('.analysis .took')?.textContent || '';
    return /runs in/.test(t) ? t : null;
  }, null, { timeout: 600000, polling: 50 });
  const wall = Date.now() - t0;
  const rows = await page.$$eval('[data-testid="analysis-row"]', (r) => r.length);
  const summary = await page.textContent('[data-testid="analysis-summary"]');
  console.log(`${sample}: ${await took.jsonValue()} (${wall} ms from the click), ${workers} workers, ${rows} rows shown`);
  console.log(`  ${summary.slice(0, 160)}`);
  await page.close();
}
await browser.close();
close();
