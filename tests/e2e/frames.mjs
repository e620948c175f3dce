// Frame times while a run plays, in headless Chromium: requestAnimationFrame timestamps recorded
// in the page while the app animates each example through its failover. Prints p50/p95 frame
// time and frames per second; asserts nothing (see docs/performance.md).
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import { serve, launch } from './serve.mjs';

const dist = process.argv[2] || 'dist';
const seconds = Number(process.argv[3] || 6);
// Example, moment to start from (just before its failure), speed slider position (1x = 333).
// Each window holds the failure being detected and the VMs failing over.
const runs = [
  ['host-cluster', 37_000, 333],
  ['guest-cluster', 37_000, 333],
  ['web-app-db', 62_000, 333],
  ['web-app-db', 58_000, 1000],
  ['sixteen-hosts', 37_000, 333],
  ['sixteen-hosts', 25_000, 1000],
  ['max-cluster', 37_000, 333],
  ['max-cluster', 25_000, 1000],
];
const { url, close } = await serve(dist);
const browser = await launch(chromium);
const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
console.log('design'.padEnd(16), 'speed'.padStart(6), 'frames'.padStart(7), 'p50 ms'.padStart(8), 'p95 ms'.padStart(8), 'max ms'.padStart(8), 'fps'.padStart(6), 'sim'.padStart(10));
// FRAMES_ONLY=max-cluster measures one design.
for (const [name, from, speed] of runs.filter((r) => !process.env.FRAMES_ONLY || r[0] === process.env.FRAMES_ONLY)) {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const scenario = fs.readFileSync(`examples/${name}.json`, 'utf8');
  await page.goto(url);
  await page.evaluate((s) => localStorage.setItem('clusterlab.work', s), scenario);
  await page.reload();
  await page.waitForSelector('[data-testid="host-host-1"]', { timeout: 30000 });
  await page.click('[data-testid="mode-simulate"]');
  await page.waitForSelector('[data-testid="timeline"]');
  await page.$eval('[data-testid="timeline"]', (el, t) => {
    el.value = String(t);
    el.dispatchEvent(new Event('input', { bubbles: true }));
  }, from);
  await page.$eval('[data-testid="speed"]', (el, v) => {
    el.value = String(v);
    el.dispatchEvent(new Event('input', { bubbles: true }));
  }, speed);
  await page.click('[data-testid="play"]');
  const times = await page.evaluate((ms) => new Promise((resolve) => {
    const stamps = [];
    const start = performance.now();
    const tick = (ts) => {
      stamps.push(ts);
      if (ts - start < ms) requestAnimationFrame(tick); else resolve(stamps);
    };
    requestAnimationFrame(tick);
  }), seconds * 1000);
  await page.click('[data-testid="play"]');
  const clock = await page.textContent('[data-testid="clock"]');
  const gaps = times.slice(1).map((t, i) => t - times[i]).sort((a, b) => a - b);
  const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length;
  const label = speed === 1000 ? '100x' : '1x';
  console.log(name.padEnd(16), label.padStart(6), String(gaps.length).padStart(7), pct(gaps, 0.5).toFixed(1).padStart(8), pct(gaps, 0.95).toFixed(1).padStart(8), gaps[gaps.length - 1].toFixed(1).padStart(8), (1000 / mean).toFixed(0).padStart(6), clock.padStart(10));
  await page.close();
}
await browser.close();
close();
