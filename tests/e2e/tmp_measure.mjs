import { chromium } from 'playwright-core';
import { serve, launch } from './serve.mjs';
const { url, close } = await serve('dist');
const browser = await launch(chromium);
const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
await page.goto(url);
await page.waitForSelector('[data-testid="host-host-1"]');
await page.waitForTimeout(300);
console.log(await page.evaluate(() => {
  const g = document.querySelector('svg.canvas g[transform]');
  const t = g.getAttribute('transform');
  const sizes = [...document.querySelectorAll('svg.canvas text')].map((e) => parseFloat(getComputedStyle(e).fontSize));
  return { t, min: Math.min(...sizes), max: Math.max(...sizes), canvas: document.querySelector('svg.canvas').getBoundingClientRect().width };
}));
await browser.close(); close();
