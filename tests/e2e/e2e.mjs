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

// The first load keeps what it does not read (failure rates and targets) through its own saves
// and the handover, and Analyze opens from it with the whole app.
{
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(url);
  const sample = JSON.parse(fs.readFileSync('examples/web-app-db.json', 'utf8'));
  sample.reliability = {
    rates: [{ id: 'host-2', failure: 'host_crash', per_year: 0.5, repair_hours: 8 }],
    targets: [{ service: 'web', percent: 99.95 }],
  };
  await page.evaluate((s) => localStorage.setItem('clusterlab.work', s), JSON.stringify(sample));
  let release;
  const held = new Promise((r) => { release = r; });
  await page.route('**/clusterlab-full_bg.wasm*', async (r) => { await held; await r.continue(); });
  await page.reload();
  await page.waitForSelector('[data-testid="host-host-4"]', { timeout: 20000 });
  await page.focus('[data-testid="host-host-4"]');
  await page.keyboard.press('ArrowRight');
  await page.waitForTimeout(1500);
  const saved = JSON.parse(await page.evaluate(() => localStorage.getItem('clusterlab.work')));
  check('the first load saves an edit and keeps the failure rates and targets it does not read',
    JSON.stringify(saved.reliability) === JSON.stringify(sample.reliability) && JSON.stringify(saved.design) !== JSON.stringify(sample.design),
    JSON.stringify(saved.reliability));
  await page.click('[data-testid="mode-analyze"]');
  release();
  await page.waitForSelector('[data-testid="year-web"]', { timeout: 30000 });
  const target = await page.inputValue('[data-testid="target-web"]');
  check('Analyze from the first load: the whole app analyses the design with the target kept', target === '99.95', target);
  check('no page errors through the analysis', errors.length === 0, errors.join(' | '));
  await page.close();
}

// The analysis runs in Web Workers, one per core, and shows exactly the pinned results
// (tests/data/analysis), rows in the same order, whatever order the workers answer in.
{
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  let workers = 0;
  page.on('worker', () => { workers += 1; });
  await page.goto(url);
  await page.evaluate(() => localStorage.clear());
  await page.reload();
  await page.waitForSelector('[data-testid="host-host-1"]', { timeout: 20000 });
  await page.click('[data-testid="open"]');
  await page.click('[data-testid="sample-scale-out"]');
  await page.click('[data-testid="mode-analyze"]');
  await page.waitForFunction(() => /runs in/.test(document.querySelector('.analysis .took')?.textContent || ''), null, { timeout: 60000 });
  const pinned = fs.readFileSync('tests/data/analysis/scale-out.txt', 'utf8').split('\n');
  const summary = await page.textContent('[data-testid="analysis-summary"]');
  const cores = await page.evaluate(() => Math.min(navigator.hardwareConcurrency, 8));
  check('the analysis runs in one Web Worker per core', workers === cores, `${workers} workers, ${cores} cores`);
  check('the workers\' analysis has the pinned summary', summary.trim() === pinned[0], summary);
  const labels = await page.$$eval('[data-testid="analysis-row"] .label', (l) => l.map((x) => x.textContent));
  const want = [...new Set(pinned.slice(1).filter((l) => l.includes(' | ')).map((l) => l.split(' | ')[0]))];
  check('its rows come in the pinned order (worst first)', JSON.stringify(labels) === JSON.stringify(want.slice(0, labels.length)) && labels.length === want.length,
    (() => { const i = labels.findIndex((l, k) => l !== want[k]); return `${labels.length} rows of ${want.length}; first difference at ${i}: ${labels[i]} / ${want[i]}`; })());
  check('no page errors in the workers\' analysis', errors.length === 0, errors.join(' | '));
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
  // An edit to undo later: move host-4 right with the keyboard. Selecting it starts fetching
  // the whole app (it has the inspector); hold that until the edit is made.
  let release;
  const held = new Promise((r) => { release = r; });
  await page.route('**/clusterlab-full_bg.wasm*', async (r) => { await held; await r.continue(); });
  const before = await page.getAttribute('[data-testid="host-host-4"] rect.box', 'x');
  await page.focus('[data-testid="host-host-4"]');
  await page.keyboard.press('ArrowRight');
  const moved = await page.getAttribute('[data-testid="host-host-4"] rect.box', 'x');
  check('selecting a component fetches the inspector', (await page.textContent('[data-testid="inspector"]')).includes('Loading the inspector'));
  await page.click('[data-testid="mode-simulate"]');
  release();
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

  // Clicking a component hands over to the whole app in place: same view, same selection,
  // the typed inspector, one app on the page.
  const sel = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const selErrors = [];
  sel.on('pageerror', (e) => selErrors.push(String(e)));
  await sel.goto(url);
  await sel.waitForSelector('[data-testid="host-host-2"]', { timeout: 20000 });
  await sel.waitForTimeout(200);
  const box = async () => sel.$eval('[data-testid="host-host-2"]', (e) => { const r = e.getBoundingClientRect(); return [r.x, r.y, r.width].map(Math.round).join(','); });
  const was = await box();
  await sel.click('[data-testid="host-host-2"] text.title');
  await sel.waitForSelector('[data-testid="inspector-kind"]', { timeout: 20000 });
  await sel.waitForTimeout(200);
  check('after the handover on a click the inspector shows the host, typed', (await sel.textContent('[data-testid="inspector-kind"]')) === 'Host' && (await sel.textContent('[data-testid="inspector-id"]')) === 'host-2' && (await sel.$('[data-testid="field-memory-gb"]')) !== null);
  check('the canvas does not move as the whole app takes over', (await box()) === was, `${was} then ${await box()}`);
  check('one app after a handover on selection, no page errors', (await sel.$$('.app')).length === 1 && selErrors.length === 0, selErrors.join(' | '));
  await sel.close();

  // A VM's inspector offers its disaster recovery: replica target, then backups.
  const dr = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await dr.goto(url);
  await dr.waitForSelector('[data-testid="vm-db"]', { timeout: 20000 });
  await dr.click('[data-testid="vm-db"]');
  await dr.waitForSelector('[data-testid="protection"]', { timeout: 20000 });
  const target = await dr.$$eval('[data-testid="replica-to"] option', (o) => o.map((x) => x.value).find((v) => v));
  await dr.selectOption('[data-testid="replica-to"]', target);
  await dr.waitForSelector('[data-testid="replica-every"]', { timeout: 5000 });
  const repo = await dr.$$eval('[data-testid="backup-to"] option', (o) => o.map((x) => x.value).find((v) => v));
  await dr.selectOption('[data-testid="backup-to"]', repo);
  await dr.waitForSelector(`[data-testid="backup-job-${repo}"]`, { timeout: 5000 });
  await dr.$eval('[data-testid="protection"]', (e) => e.scrollIntoView());
  await dr.screenshot({ path: `${shots}/inspector-recovery-1280x800.png` });
  check('a VM is replicated and backed up from its inspector', (await dr.$(`[data-testid="backup-job-${repo}"]`)) !== null && (await dr.inputValue('[data-testid="replica-every"]')) === '300' && (await dr.inputValue('[data-testid="replica-to"]')) === target && (await dr.inputValue('[data-testid="backup-to"]')) === '', `${target} ${repo} ${await dr.inputValue('[data-testid="backup-to"]')}`);
  await dr.close();

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

// Share links through the first load: Open and Share fetch the whole app; a link opens the same
// run at the same moment in another browser; back and forward move between links; a broken link
// keeps the user's work; files go out (JSON, SVG, PNG) and come in.
{
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, acceptDownloads: true, permissions: ['clipboard-read', 'clipboard-write'] });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(url);
  await page.waitForSelector('[data-testid="host-host-1"]', { timeout: 20000 });
  await page.click('[data-testid="open"]');
  const gallery = await page.waitForSelector('[data-testid="gallery"]', { timeout: 20000 }).then(() => true, () => false);
  check('Open fetches the whole app and shows the gallery', gallery);
  const samples = await page.$$('[data-testid^="sample-"]');
  check('the gallery offers 25 samples, each with what to try', samples.length === 25, `${samples.length}`);
  await page.click('[data-testid="sample-local-storage"]');
  await page.click('[data-testid="share"]');
  const linkB = await page.inputValue('[data-testid="share-link"]');
  await page.click('.dialog .close');
  await page.click('[data-testid="open"]');
  await page.click('[data-testid="sample-lesson-quorum-witness"]');
  await page.click('[data-testid="share"]');
  const linkLesson = await page.inputValue('[data-testid="share-link"]');
  await page.click('.dialog .close');
  await page.click('[data-testid="open"]');
  await page.click('[data-testid="sample-quorum-two-nodes"]');
  await page.click('[data-testid="mode-simulate"]');
  await page.$eval('[data-testid="timeline"]', (el) => {
    el.value = '45000';
    el.dispatchEvent(new Event('input', { bubbles: true }));
  });
  await page.click('[data-testid="share"]');
  await page.check('[data-testid="share-at-now"]');
  const linkA = await page.inputValue('[data-testid="share-link"]');
  await page.click('[data-testid="copy-link"]');
  await page.waitForFunction(() => document.querySelector('[data-testid="copied"]')?.textContent.length > 0, null, { timeout: 5000 }).catch(() => {});
  const clipboard = await page.evaluate(() => navigator.clipboard.readText()).catch((e) => String(e));
  check('Copy link puts the link on the clipboard and in the address bar', clipboard === linkA && page.url() === linkA, `${clipboard.slice(0, 60)} / ${page.url().slice(0, 60)}`);
  const fragment = linkA.split('#')[1] || '';
  check('the share link holds the scenario in the fragment, under 400 characters', fragment.startsWith('v8.') && fragment.length < 400, `${fragment.length}`);
  const [json] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="export-json"]')]);
  const file = JSON.parse(fs.readFileSync(await json.path(), 'utf8'));
  check('export: the scenario as a JSON file', json.suggestedFilename() === 'quorum-two-nodes-no-witness.json' && file.name === 'Quorum: two nodes, no witness', json.suggestedFilename());
  const [svg] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="export-svg"]')]);
  const svgText = fs.readFileSync(await svg.path(), 'utf8');
  check('export: the canvas as SVG, styled and framed', svgText.startsWith('<svg') && svgText.includes('<style>') && svgText.includes('host-2') && Number((svgText.match(/^<svg[^>]* width="(\d+)"/) || [])[1]) < 3000, svgText.slice(0, 200));
  const [png] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="export-png"]')]);
  const pngBytes = fs.readFileSync(await png.path());
  check('export: the canvas as PNG', pngBytes.subarray(1, 4).toString() === 'PNG' && pngBytes.length > 10000, `${pngBytes.length}`);
  await page.click('.dialog .close');
  // Files come in the same way: a good one opens, a broken one says why and changes nothing.
  await page.click('[data-testid="open"]');
  await page.setInputFiles('[data-testid="import-file"]', 'examples/guest-cluster.json');
  await page.waitForFunction(() => document.querySelector('[data-testid="scenario-name"]')?.textContent.startsWith('Guest cluster'), null, { timeout: 5000 }).catch(() => {});
  check('import: a scenario file opens', (await page.textContent('[data-testid="scenario-name"]')).startsWith('Guest cluster'));
  await page.click('[data-testid="open"]');
  await page.setInputFiles('[data-testid="import-file"]', { name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from('{"name": 1') });
  await page.waitForFunction(() => document.querySelector('[data-testid="open-error"]')?.textContent.length > 0, null, { timeout: 5000 }).catch(() => {});
  const importError = await page.textContent('[data-testid="open-error"]');
  check('import: a broken file says why and changes nothing', importError.startsWith('bad.json cannot be opened: not a valid scenario') && (await page.textContent('[data-testid="scenario-name"]')).startsWith('Guest cluster'), importError);
  check('no page errors while sharing', errors.length === 0, errors.join(' | '));
  await page.close();

  // A student opens the link in a fresh browser: the same scenario, paused at the same moment.
  const student = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await student.goto(linkA);
  await student.waitForSelector('[data-testid="timeline"]', { timeout: 20000 });
  await student.waitForTimeout(300);
  const name = await student.textContent('[data-testid="scenario-name"]');
  const at = await student.inputValue('[data-testid="timeline"]');
  const host2 = await student.getAttribute('[data-testid="host-host-2"]', 'data-state');
  check('a link opens the same scenario in Simulate mode at the shared moment', name === 'Quorum: two nodes, no witness' && at === '45000' && host2 === 'down', `${name} ${at} ${host2}`);
  await student.screenshot({ path: `${shots}/link-opened.png` });
  await student.evaluate((f) => { location.hash = f; }, linkB.split('#')[1]);
  await student.waitForFunction(() => document.querySelector('[data-testid="scenario-name"]')?.textContent.startsWith('A VM on local'), null, { timeout: 5000 }).catch(() => {});
  const second = await student.textContent('[data-testid="scenario-name"]');
  await student.goBack();
  await student.waitForFunction(() => document.querySelector('[data-testid="scenario-name"]')?.textContent.startsWith('Quorum'), null, { timeout: 5000 }).catch(() => {});
  const back = await student.textContent('[data-testid="scenario-name"]');
  check('back and forward move between links', second.startsWith('A VM on local') && back.startsWith('Quorum'), `${second} / ${back}`);
  await student.reload();
  await student.waitForSelector('[data-testid="scenario-name"]', { timeout: 20000 });
  check('a reload keeps the opened scenario', (await student.textContent('[data-testid="scenario-name"]')).startsWith('Quorum'));
  await student.close();

  // A lesson's link, then a reload: the card and the lock come back without a click (the first
  // load fetches the whole app at once for a lesson).
  const pupil = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await pupil.goto(linkLesson);
  const card = await pupil.waitForSelector('[data-testid="lesson"]', { timeout: 20000 }).then(() => true, () => false);
  await pupil.reload();
  const again = await pupil.waitForSelector('[data-testid="lock-mark-hv-cluster"]', { timeout: 20000 }).then(() => true, () => false);
  const mode = again ? await pupil.textContent('[data-testid="lesson-mode"]') : '';
  check('a lesson link reloads with its card and its locks', card && again && mode === 'student', `${card} ${again} ${mode}`);
  await pupil.screenshot({ path: `${shots}/lesson-reloaded.png` });
  // The first load kept the script as read and handed it over whole.
  await pupil.click('[data-testid="mode-simulate"]');
  await pupil.waitForSelector('[data-testid="script-entry"]', { timeout: 20000 }).catch(() => {});
  const script = await pupil.$$eval('[data-testid="script-entry"]', (els) => els.map((e) => e.textContent));
  check('the script survives the first load and the hand-over', script.length === 2 && script[0].includes('host-3') && script[1].includes('host-1'), JSON.stringify(script));
  await pupil.close();

  // A broken link over the user's own work (first load, editor only): a message, the work untouched.
  const own = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await own.goto(url);
  await own.waitForSelector('[data-testid="host-host-4"]', { timeout: 20000 });
  await own.focus('[data-testid="host-host-4"]');
  await own.keyboard.press('ArrowRight');
  await own.waitForTimeout(200);
  const work = await own.evaluate(() => localStorage.getItem('clusterlab.work'));
  await own.evaluate((f) => { location.hash = f; }, fragment.slice(0, 120));
  await own.waitForFunction(() => document.querySelector('[data-testid="status"]')?.textContent.includes('cannot be opened'), null, { timeout: 20000 }).catch(() => {});
  const ownStatus = await own.textContent('[data-testid="status"]');
  const after = await own.evaluate(() => localStorage.getItem('clusterlab.work'));
  check('a broken link says what is wrong and keeps the saved work', ownStatus.includes('the link is damaged') && work !== null && after === work, ownStatus);
  await own.screenshot({ path: `${shots}/link-broken.png` });
  await own.close();

  // Not a link at all: the first load says so without fetching the rest of the app.
  const junk = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const junkFetched = [];
  junk.on('request', (r) => junkFetched.push(r.url()));
  await junk.goto(`${url}#hello`);
  await junk.waitForSelector('[data-testid="host-host-1"]', { timeout: 20000 });
  const junkStatus = await junk.textContent('[data-testid="status"]');
  check('a fragment that is not a link says so, from the first load alone', junkStatus.includes('not a ClusterLab scenario link') && !junkFetched.some((u) => u.includes('clusterlab-full')), junkStatus);
  await junk.close();
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

// Chrome that fits: at each size, in both modes (playing, when Pause is wider than Play), no
// element of the top bar, the palette or the panels leaves its container, and the palette
// needs no scrolling.
for (const [w, h] of [[1024, 768], [1280, 800], [1920, 1080]]) {
  for (const mode of ['design', 'simulate']) {
    const page = await browser.newPage({ viewport: { width: w, height: h } });
    await page.goto(url);
    await page.waitForSelector('[data-testid="host-host-1"]', { timeout: 20000 });
    if (mode === 'simulate') {
      await page.click('[data-testid="mode-simulate"]');
      await page.waitForSelector('[data-testid="timeline"]', { timeout: 20000 });
      await page.click('[data-testid="play"]');
      await page.waitForTimeout(300);
    }
    const spills = await page.evaluate(() => {
      const out = [];
      for (const sel of ['.topbar', '.palette', '.inspector', '.side', '.status', '.bottom']) {
        const c = document.querySelector(sel);
        if (!c || !c.getClientRects().length) continue;
        const r = c.getBoundingClientRect();
        if (sel === '.palette' && c.scrollHeight > c.clientHeight + 1) out.push(`palette scrolls (${c.scrollHeight} > ${c.clientHeight})`);
        for (const e of c.querySelectorAll('*')) {
          const b = e.getBoundingClientRect();
          if (b.width && b.height && (b.right > r.right + 1 || b.left < r.left - 1)) out.push(`${sel} ${e.tagName} ${Math.round(b.left)}-${Math.round(b.right)}`);
        }
      }
      return out;
    });
    check(`${w}x${h} ${mode}: the top bar, palette and panels fit`, spills.length === 0, spills.slice(0, 4).join(' | '));
    const title = await page.evaluate(() => { const t = document.querySelector('.scenario-name'); const r = t.getBoundingClientRect(); return getComputedStyle(t).display === 'none' ? 0 : Math.round(r.width); });
    check(`${w}x${h} ${mode}: the scenario title stays visible`, title >= 100, `${title} px`);
    // Where the less-used tools are folded away, "⋯" shows them, inside the screen, and Escape
    // folds them again.
    if (await page.isVisible('[data-testid="more"]')) {
      await page.click('[data-testid="more"]');
      const menu = await page.evaluate(() => { const r = document.querySelector('[data-testid="tools"]').getBoundingClientRect(); return { ok: r.width > 0 && r.left >= 0 && r.right <= window.innerWidth && r.bottom <= window.innerHeight, fit: !!document.querySelector('[data-testid="tools"] [aria-label="Fit to view"]').offsetParent }; });
      await page.keyboard.press('Escape');
      const closed = !(await page.isVisible('[data-testid="tools"]'));
      check(`${w}x${h} ${mode}: the overflow menu opens on the screen and Escape closes it`, menu.ok && menu.fit && closed, JSON.stringify(menu));
    }
    // Every label on the canvas is at least 11 px on the screen at the fit zoom.
    if (w === 1280) {
      const small = await page.evaluate(() => [...document.querySelectorAll('svg.canvas text')].filter((t) => t.getClientRects().length).map((t) => {
        const px = parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a;
        return [px, t.textContent];
      }).filter(([px]) => px < 10.95).map(([px, text]) => `${text} ${px.toFixed(1)}px`));
      check(`1280x800 ${mode}: canvas labels are at least 11 px at the fit zoom`, small.length === 0, small.slice(0, 5).join(' | '));
    }
    if (mode === 'simulate') {
      // Every chart legend entry is whole: inside its caption, never cut.
      const cut = await page.evaluate(() => [...document.querySelectorAll('.chart figcaption')].flatMap((f) => {
        const r = f.getBoundingClientRect();
        return [...f.querySelectorAll('.legend')].filter((l) => { const b = l.getBoundingClientRect(); return b.right > r.right + 1 || b.bottom > r.bottom + 1 || l.scrollWidth > l.clientWidth + 1; }).map((l) => l.textContent);
      }));
      check(`${w}x${h}: chart legends are whole`, cut.length === 0, cut.join(' | '));
    }
    await page.close();
  }
}

// The sample's picture: its VLANs coloured on rows and cables with a legend, the NLB cluster
// outlined on its rows, the failover cluster around its hosts, icons on every box, and cables
// at right angles.
{
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(url);
  await page.waitForSelector('[data-testid="host-host-1"]', { timeout: 20000 });
  const pic = await page.evaluate(() => ({
    legend: [...document.querySelectorAll('[data-testid="vlan-legend"] li')].map((l) => l.textContent),
    stripes: [...document.querySelectorAll('[data-testid="vm-db"] .vlan-stripe')].map((e) => e.getAttribute('class')),
    webStripe: document.querySelector('[data-testid="vm-web"] .vlan-stripe')?.getAttribute('class'),
    cables: [...document.querySelectorAll('svg.canvas path.link')].map((p) => p.getAttribute('d')),
    carried: document.querySelector('[data-testid="ports-nic-1"]').getAttribute('data-vlans'),
    nlb: document.querySelectorAll('[data-testid="nlb-outline-web-nlb"] .group-outline').length,
    cluster: !!document.querySelector('[data-testid="cluster-prod"] .outline'),
    icons: [...document.querySelectorAll('svg.canvas .item')].every((i) => i.querySelector('use.glyph')),
  }));
  check('the legend lists the VLANs and the NLB cluster', pic.legend.some((t) => t.startsWith('VLAN 10')) && pic.legend.some((t) => t.startsWith('VLAN 20') && t.includes('db')) && pic.legend.some((t) => t.includes('WEB-NLB')), pic.legend.join(' | '));
  check('the database VLAN has its own colour on its row', pic.stripes.length === 1 && pic.webStripe && pic.stripes[0] !== pic.webStripe, `${pic.stripes} / ${pic.webStripe}`);
  check("host-1's cable to the LAN carries VLANs 10 and 20", pic.carried === '10 20', pic.carried);
  check('the NLB cluster is outlined on each host its members run on', pic.nlb === 3, `${pic.nlb}`);
  check('the failover cluster is outlined, and every box has its icon', pic.cluster && pic.icons);
  const square = pic.cables.every((d) => {
    const pts = d.split(/[ML]/).filter((x) => x.trim()).map((x) => x.trim().split(/\s+/).map(Number));
    return pts.every((p, i) => i === 0 || Math.abs(p[0] - pts[i - 1][0]) < 0.05 || Math.abs(p[1] - pts[i - 1][1]) < 0.05);
  });
  check('every cable is drawn at right angles', pic.cables.length === 9 && square, `${pic.cables.length}`);
  // During a run, request flows pass under the cluster label (an opaque pill drawn after them)
  // and under the boxes: they never hide a label.
  await page.click('[data-testid="mode-simulate"]');
  await page.waitForSelector('[data-testid="timeline"]', { timeout: 20000 });
  await page.$eval('[data-testid="timeline"]', (el) => { el.value = '75000'; el.dispatchEvent(new Event('input', { bubbles: true })); });
  await page.waitForTimeout(300);
  const order = await page.evaluate(() => {
    const live = document.querySelector('[data-testid="live"]');
    const kids = [...live.children];
    const at = (sel) => kids.findIndex((k) => k.matches(sel));
    const flows = live.querySelectorAll('.flows line').length;
    const pill = getComputedStyle(live.querySelector('.cluster-tag .pill'));
    const firstItem = kids.findIndex((k) => k.classList.contains('item'));
    return { flows, under: at('.flows') < at('.labels') && at('.flows') < firstItem, opaque: pill.fillOpacity === '1' && !/rgba\(.*, 0\)/.test(pill.fill) };
  });
  check('request flows pass under labels and boxes, never over them', order.flows > 0 && order.under && order.opaque, JSON.stringify(order));
  await page.close();
}

// Dark mode follows the system and a remembered toggle; its main text and state colours meet
// WCAG AA (4.5:1 for text), computed from what the browser draws.
{
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, colorScheme: 'dark' });
  await page.goto(url);
  await page.evaluate(() => localStorage.clear());
  await page.reload();
  await page.waitForSelector('[data-testid="host-host-1"]', { timeout: 20000 });
  const theme = await page.getAttribute('html', 'data-theme');
  check('dark mode follows prefers-color-scheme', theme === 'dark', theme);
  const contrast = async () => page.evaluate(() => {
    const rgb = (c) => (c.match(/[\d.]+/g) || []).slice(0, 3).map(Number);
    const lum = ([r, g, b]) => [r, g, b].map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; }).reduce((a, v, i) => a + v * [0.2126, 0.7152, 0.0722][i], 0);
    const ratio = (a, b) => { const [x, y] = [lum(rgb(a)), lum(rgb(b))].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
    const bg = (e) => { for (let n = e; n; n = n.parentElement) { const c = getComputedStyle(n).backgroundColor; if (!/rgba\(0, 0, 0, 0\)|transparent/.test(c)) return c; } return 'rgb(0,0,0)'; };
    const out = [];
    const html = (sel, name) => document.querySelectorAll(sel).forEach((e) => out.push([name || sel, ratio(getComputedStyle(e).color, bg(e))]));
    // SVG text against the fill of the box it sits in.
    const svg = (sel, box, name) => document.querySelectorAll(sel).forEach((e) => { const b = e.closest('g').querySelector(box); if (b) out.push([name || sel, ratio(getComputedStyle(e).fill, getComputedStyle(b).fill)]); });
    html('.palette-label', 'palette text'); html('.palette h2', 'palette headings'); html('.inspector .hint', 'muted text'); html('.status h2', 'status');
    html('.message.error', 'error message'); html('.entries .kind', 'log kinds'); html('.entries li button', 'log text'); html('.cluster-state li', 'cluster state');
    svg('.item .title', '.box', 'box titles'); svg('.item .sub', '.box', 'box details'); svg('.live .vm .detail', '.box', 'VM state words');
    svg('.state-word', '.box', 'host state words'); svg('.cluster-tag .cluster-label', '.pill', 'cluster labels'); svg('.missed text', 'rect', 'missed heartbeats');
    return out.filter(([, r]) => r < 4.5).map(([n, r]) => `${n} ${r.toFixed(2)}`);
  });
  const design = await contrast();
  check('dark mode, design: text and state colours meet WCAG AA', design.length === 0, [...new Set(design)].slice(0, 6).join(' | '));
  await page.click('[data-testid="mode-simulate"]');
  await page.waitForSelector('[data-testid="timeline"]', { timeout: 20000 });
  await page.$eval('[data-testid="timeline"]', (el) => { el.value = '75000'; el.dispatchEvent(new Event('input', { bubbles: true })); });
  await page.waitForTimeout(300);
  const run = await contrast();
  check('dark mode, run: text and state colours meet WCAG AA', run.length === 0, [...new Set(run)].slice(0, 6).join(' | '));
  // The toggle switches to light, and the choice outlives a reload.
  await page.click('[data-testid="more"]').catch(() => {});
  await page.click('[data-testid="theme"]');
  await page.reload();
  await page.waitForSelector('[data-testid="host-host-1"]', { timeout: 20000 });
  check('the theme toggle is remembered over the system setting', (await page.getAttribute('html', 'data-theme')) === 'light');
  await page.close();
}

// The status area takes no room beyond its one line when the design has no problems, and grows
// with them (up to a third of the screen).
{
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(url);
  await page.waitForSelector('[data-testid="host-host-1"]', { timeout: 20000 });
  const empty = await page.evaluate(() => document.querySelector('.status').getBoundingClientRect().height);
  await page.evaluate((s) => localStorage.setItem('clusterlab.work', s), fs.readFileSync('examples/local-storage.json', 'utf8'));
  await page.reload();
  await page.waitForSelector('[data-testid="host-host-1"]', { timeout: 20000 });
  const full = await page.evaluate(() => document.querySelector('.status').getBoundingClientRect().height);
  check('the status area is one line when the design has no problems and grows with them', empty <= 40 && full > empty && full <= 800 / 3 + 1, `${empty} px, then ${full} px`);
  await page.close();
}

await browser.close();
close();
console.log(`e2e: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
