// A screenshot of a run at a chosen moment, for looking at:
//   node tests/e2e/shot.mjs dist EXAMPLE SECONDS OUT.png [WIDTHxHEIGHT] [light|dark]
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import { serve, launch } from './serve.mjs';

const dist = process.argv[2] || 'dist';
const example = process.argv[3] || 'web-app-db';
const seek = Number(process.argv[4] || 65);
const out = process.argv[5] || 'target/screenshots/run.png';
const [width, height] = (process.argv[6] || '1400x900').split('x').map(Number);
const { url, close } = await serve(dist);
const browser = await launch(chromium);
const colorScheme = process.argv[7] === 'dark' ? 'dark' : 'light';
const page = await browser.newPage({ viewport: { width, height }, colorScheme });
page.on('pageerror', (e) => console.log('pageerror', String(e)));
await page.goto(url);
await page.evaluate((s) => localStorage.setItem('clusterlab.work', s), fs.readFileSync(example.endsWith('.json') ? example : `examples/${example}.json`, 'utf8'));
await page.reload();
await page.waitForSelector('[data-testid^="host-"]');
await page.click('[data-testid="mode-simulate"]');
await page.waitForSelector('[data-testid="timeline"]');
await page.evaluate((t) => {
  const el = document.querySelector('[data-testid="timeline"]');
  el.value = String(t * 1000);
  el.dispatchEvent(new Event('input', { bubbles: true }));
}, seek);
await page.click('[data-testid="play"]');
await page.waitForTimeout(300);
await page.click('[data-testid="play"]');
await page.screenshot({ path: out });
console.log(await page.evaluate(() => document.querySelector('[data-testid="clock"]').textContent));
await browser.close();
close();
