// Screenshots of a run for looking at: node tests/e2e/shot.mjs dist [seconds] [speed-position]
import { chromium } from 'playwright-core';
import { serve, launch } from './serve.mjs';

const dist = process.argv[2] || 'dist';
const seek = Number(process.argv[3] || 75);
const out = process.argv[4] || 'target/screenshots/run.png';
const { url, close } = await serve(dist);
const browser = await launch(chromium);
const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
page.on('console', (m) => console.log('console', m.type(), m.text()));
page.on('pageerror', (e) => console.log('pageerror', String(e)));
await page.goto(url);
await page.waitForSelector('[data-testid="host-host-1"]');
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
