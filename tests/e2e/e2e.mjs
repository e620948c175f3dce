// End to end: the release dist/ served from a sub-path loads in headless Chromium, renders the
// sample design with no console errors, and looks right (screenshots in target/screenshots/).
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import { serve, launch } from './serve.mjs';

const dist = process.argv[2] || 'dist';
const shots = 'target/screenshots';
fs.mkdirSync(shots, { recursive: true });
const { url, close } = await serve(dist);
const browser = await launch(chromium);
let passed = 0;
let failed = 0;
function check(name, ok, detail = '') {
  if (ok) {
    passed++;
    console.log(`ok   ${name}`);
  } else {
    failed++;
    console.log(`FAIL ${name} ${detail}`);
  }
}

for (const [label, width, height] of [['desktop', 1280, 800], ['tablet', 1024, 768], ['tablet portrait', 768, 1024]]) {
  const page = await browser.newPage({ viewport: { width, height } });
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(url);
  const rendered = await page.waitForSelector('[data-testid="host-host-1"]', { timeout: 20000 }).then(() => true, () => false);
  check(`${label}: the sample design renders from a sub-path`, rendered);
  for (const id of ['cluster-prod', 'vm-db', 'switch-lan', 'storage-csv-1', 'palette-host', 'inspector', 'problems']) {
    check(`${label}: ${id} is on the page`, (await page.$(`[data-testid="${id}"]`)) !== null);
  }
  // Every host is inside the visible canvas after fit-to-view.
  const visible = await page.evaluate(() => {
    const canvas = document.querySelector('svg.canvas').getBoundingClientRect();
    return [...document.querySelectorAll('.item.host')].every((h) => {
      const r = h.getBoundingClientRect();
      return r.left >= canvas.left - 1 && r.right <= canvas.right + 1 && r.top >= canvas.top - 1 && r.bottom <= canvas.bottom + 1;
    });
  });
  check(`${label}: the whole design fits the canvas`, visible);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  check(`${label}: nothing spills out sideways`, overflow <= 0, `${overflow} px`);
  await page.waitForTimeout(300);
  await page.screenshot({ path: `${shots}/editor-${width}x${height}.png` });
  // Simulate: the sample plays in the release build, host-1 crashes at 60 s, the log explains.
  await page.click('[data-testid="mode-simulate"]');
  await page.waitForSelector('[data-testid="timeline"]');
  await page.$eval('[data-testid="timeline"]', (el) => {
    el.value = '66000';
    el.dispatchEvent(new Event('input', { bubbles: true }));
  });
  await page.click('[data-testid="play"]');
  await page.waitForTimeout(400);
  await page.click('[data-testid="play"]');
  const down = await page.getAttribute('[data-testid="host-host-1"]', 'data-state');
  check(`${label}: simulate: host-1 is down after its crash`, down === 'down', down);
  const log = await page.textContent('[data-testid="log"]');
  check(`${label}: simulate: the log explains the crash`, log.includes('host host-1 crashes') && log.includes('convergence'), log.slice(0, 200));
  const sideways = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  check(`${label}: simulate: nothing spills out sideways`, sideways <= 0, `${sideways} px`);
  await page.screenshot({ path: `${shots}/simulate-${width}x${height}.png` });
  check(`${label}: no console errors`, errors.length === 0, errors.join(' | '));
  await page.close();
}

// The first load is the editor alone; Simulate fetches the simulator, which takes the editor
// over with its undo history; if it cannot be fetched the user keeps working and is told why.
{
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  const fetched = [];
  page.on('request', (r) => fetched.push(r.url()));
  await page.goto(url);
  await page.evaluate(() => localStorage.clear());
  await page.reload();
  await page.waitForSelector('[data-testid="host-host-4"]', { timeout: 20000 });
  check('the first load does not fetch the simulator', !fetched.some((u) => u.includes('clusterlab-full')));
  // An edit to undo later: move host-4 right with the keyboard.
  const before = await page.getAttribute('[data-testid="host-host-4"] rect.box', 'x');
  await page.focus('[data-testid="host-host-4"]');
  await page.keyboard.press('ArrowRight');
  const moved = await page.getAttribute('[data-testid="host-host-4"] rect.box', 'x');
  await page.click('[data-testid="mode-simulate"]');
  await page.waitForSelector('[data-testid="timeline"]', { timeout: 20000 });
  check('Simulate fetches the simulator of the same build', fetched.some((u) => /clusterlab-full_bg\.wasm\?v=[0-9a-f]{16}$/.test(u)), fetched.filter((u) => u.includes('full')).join(' '));
  check('one app on the page after the handover', (await page.$$('.app')).length === 1);
  await page.click('[data-testid="mode-design"]');
  await page.waitForSelector('[data-testid="palette-host"]');
  const kept = await page.getAttribute('[data-testid="host-host-4"] rect.box', 'x');
  await page.keyboard.press('Control+z');
  await page.waitForTimeout(100);
  const undone = await page.getAttribute('[data-testid="host-host-4"] rect.box', 'x');
  check('the edit made before the handover is kept, and undo still takes it back', moved !== before && kept === moved && undone === before, `${before} ${moved} ${kept} ${undone}`);
  check('no page errors through the handover', errors.length === 0, errors.join(' | '));
  await page.close();

  const offline = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await offline.route('**/clusterlab-full_bg.wasm*', (r) => r.fulfill({ status: 404, body: 'gone' }));
  await offline.goto(url);
  await offline.waitForSelector('[data-testid="host-host-1"]', { timeout: 20000 });
  await offline.click('[data-testid="mode-simulate"]');
  await offline.waitForFunction(() => document.querySelector('[data-testid="status"]')?.textContent.includes('could not be loaded'), null, { timeout: 20000 }).catch(() => {});
  const status = await offline.textContent('[data-testid="status"]');
  check('a simulator that cannot be fetched is reported, and the editor stays', status.includes('could not be loaded') && (await offline.$('[data-testid="palette-host"]')) !== null, status);
  await offline.close();
}

// A stored save that cannot be read is kept aside and the sample opens with a message.
{
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(url);
  await page.evaluate(() => localStorage.setItem('clusterlab.work', '{"name": broken'));
  await page.reload();
  await page.waitForSelector('[data-testid="host-host-1"]', { timeout: 20000 });
  const status = await page.textContent('[data-testid="status"]');
  check('a broken save shows a message', status.includes('could not be read'), status);
  const kept = await page.evaluate(() => localStorage.getItem('clusterlab.work.unreadable'));
  check('a broken save is kept, not overwritten', kept === '{"name": broken');
  await page.close();
}

await browser.close();
close();
console.log(`e2e: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
