// The screenshots to look at before calling UI work done: the editor (nothing selected, a VM
// selected), and a run after host-1's crash, at three sizes, light and dark.
//   node tests/e2e/looks.mjs dist [OUTDIR]
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import { serve, launch } from './serve.mjs';
import { execSync } from 'node:child_process';

const dist = process.argv[2] || 'dist';
const out = process.argv[3] || 'target/screenshots/looks';
fs.mkdirSync(out, { recursive: true });
const { url, close } = await serve(dist);
// Planned operations mid-way: the scale-out sample 8 s after host-4 joined (two VMs migrating to
// it, drawn on both hosts, one queued).
const opsLink = execSync('cargo run --quiet --release --bin clusterlab -- link examples/scale-out.json --at 68s')
  .toString()
  .trim();
const browser = await launch(chromium);
for (const [width, height] of [[1024, 768], [1280, 800], [1920, 1080]]) {
  for (const colorScheme of ['light', 'dark']) {
    const page = await browser.newPage({ viewport: { width, height }, colorScheme });
    page.on('pageerror', (e) => console.log('pageerror', String(e)));
    await page.goto(url);
    await page.evaluate(() => localStorage.clear());
    await page.reload();
    await page.waitForSelector('[data-testid="host-host-1"]');
    await page.waitForTimeout(300);
    const name = `${width}x${height}-${colorScheme}`;
    await page.screenshot({ path: `${out}/editor-${name}.png` });
    await page.click('[data-testid="vm-db"] text.title');
    await page.waitForSelector('[data-testid="inspector-kind"]', { timeout: 20000 });
    await page.waitForTimeout(300);
    await page.screenshot({ path: `${out}/inspector-${name}.png` });
    await page.click('[data-testid="mode-simulate"]');
    await page.waitForSelector('[data-testid="timeline"]');
    await page.$eval('[data-testid="timeline"]', (el) => {
      el.value = '75000';
      el.dispatchEvent(new Event('input', { bubbles: true }));
    });
    await page.click('[data-testid="play"]');
    await page.waitForTimeout(300);
    await page.click('[data-testid="play"]');
    await page.waitForTimeout(200);
    await page.screenshot({ path: `${out}/run-${name}.png` });
    await page.goto(url + opsLink);
    await page.waitForSelector('[data-testid="incoming-app#1"]', { timeout: 30000 });
    await page.waitForTimeout(500);
    await page.screenshot({ path: `${out}/operations-${name}.png` });
    await page.close();
  }
}
console.log(`screenshots in ${out}`);
await browser.close();
close();
