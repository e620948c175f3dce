// Download size (raw, gzip, brotli) of the release dist/ and time to first render in headless
// Chromium. Prints figures; asserts nothing (see docs/performance.md).
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { serve, launch } from './serve.mjs';

const dist = process.argv[2] || 'dist';
// The first load is everything but the simulator module, which loads on the first Simulate.
const later = (f) => f.startsWith('clusterlab-full');
let total = { raw: 0, gzip: 0, brotli: 0 };
let sim = { raw: 0, gzip: 0, brotli: 0 };
console.log('file'.padEnd(44), 'raw'.padStart(9), 'gzip'.padStart(9), 'brotli'.padStart(9));
for (const f of fs.readdirSync(dist).filter((f) => !f.startsWith('.')).sort()) {
  const data = fs.readFileSync(path.join(dist, f));
  const gzip = zlib.gzipSync(data, { level: 9 }).length;
  const brotli = zlib.brotliCompressSync(data, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  const add = (t) => ({ raw: t.raw + data.length, gzip: t.gzip + gzip, brotli: t.brotli + brotli });
  if (later(f)) sim = add(sim); else total = add(total);
  console.log(f.padEnd(44), String(data.length).padStart(9), String(gzip).padStart(9), String(brotli).padStart(9));
}
console.log('first load'.padEnd(44), String(total.raw).padStart(9), String(total.gzip).padStart(9), String(total.brotli).padStart(9));
console.log('simulator, on first Simulate'.padEnd(44), String(sim.raw).padStart(9), String(sim.gzip).padStart(9), String(sim.brotli).padStart(9));
console.log(`first load: ${(total.brotli / 1024).toFixed(1)} KB brotli (budget 200 KB); the simulator adds ${(sim.brotli / 1024).toFixed(1)} KB when first used`);

const { url, close } = await serve(dist);
const browser = await launch(chromium);
const times = [];
for (let i = 0; i < 7; i++) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(url);
  await page.waitForFunction(() => document.body.dataset.firstRenderMs !== undefined, null, { timeout: 20000 });
  times.push(Number(await page.evaluate(() => document.body.dataset.firstRenderMs)));
  await page.close();
}
times.sort((a, b) => a - b);
console.log(`time to first render (navigation start to first frame with the sample drawn), 7 loads: min ${times[0]} ms, median ${times[3]} ms, max ${times[6]} ms`);
await browser.close();
close();
