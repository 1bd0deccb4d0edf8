// Browser tests of the report and the what-if page: Playwright (playwright-core from npm) drives
// Debian's Chromium headless. Run by scripts/test.d/70-browser.sh after the C++ build:
//   MULTIVECTOR=build/sim/cli/multivector node --test web/tests/
// Screenshots and measurements go to $BROWSER_ARTIFACTS (default build/browser-artifacts).
import assert from 'node:assert/strict';
import {spawn, spawnSync} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {after, before, test} from 'node:test';
import {fileURLToPath, pathToFileURL} from 'node:url';
import {chromium} from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const program =
    path.resolve(process.env.MULTIVECTOR || path.join(root, 'build', 'sim', 'cli', 'multivector'));
const artifacts =
    path.resolve(process.env.BROWSER_ARTIFACTS || path.join(root, 'build', 'browser-artifacts'));
const chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium';
// Flags for a closed sandbox: no sandboxing as root, no GPU, and none of the background
// connections (updates, sync, QUIC) that a closed network refuses.
const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--disable-dev-shm-usage'
];

let browser;
let workdir;

function runProgram(args) {
  const result = spawnSync(program, args, {cwd: workdir, encoding: 'utf8'});
  return result;
}

before(async () => {
  assert.ok(fs.existsSync(program), `no program at ${program}: build first`);
  assert.ok(fs.existsSync(chromiumPath), `no Chromium at ${chromiumPath}: scripts/setup.sh --web`);
  fs.mkdirSync(artifacts, {recursive: true});
  workdir = fs.mkdtempSync(path.join(os.tmpdir(), 'multivector-browser-'));
  // Playwright gives the browser a fresh temporary profile (--user-data-dir) of its own.
  browser =
      await chromium.launch({executablePath: chromiumPath, headless: true, args: CHROMIUM_ARGS});
});

after(async () => {
  if (browser) await browser.close();
  if (workdir) fs.rmSync(workdir, {recursive: true, force: true});
});

// A page that records console errors, uncaught exceptions and every request that is not a
// file:// or loopback one (there must be none).
async function watchedPage(options = {}) {
  const context = await browser.newContext(
      {viewport: {width: 1400, height: 1000}, acceptDownloads: true, ...options});
  const page = await context.newPage();
  const problems = [];
  const outside = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push('console: ' + message.text());
  });
  page.on('pageerror', (error) => problems.push('exception: ' + error.message));
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('file:') || url.startsWith('data:') || url.startsWith('blob:') ||
        /^http:\/\/127\.0\.0\.1[:/]/.test(url)) {
      return route.continue();
    }
    outside.push(url);
    return route.abort();
  });
  return {context, page, problems, outside};
}

test('the report of the default run opens from file:// offline and draws every chart', async () => {
  const run = runProgram(['run', '--out', 'run']);
  assert.equal(run.status, 0, run.stderr);
  const report = runProgram(['report', 'run', '-o', 'report.html']);
  assert.equal(report.status, 0, report.stderr);
  const file = path.join(workdir, 'report.html');
  const size = fs.statSync(file).size;
  assert.ok(size < 3 * 1024 * 1024, `report is ${size} bytes, over 3 MB`);
  const html = fs.readFileSync(file, 'utf8');
  assert.doesNotMatch(html, /<script[^>]+src=["']?https?:/i, 'a script is loaded from the network');
  assert.doesNotMatch(
      html, /<link[^>]+href=["']?https?:/i, 'a stylesheet is loaded from the network');

  const {context, page, problems, outside} = await watchedPage();
  const started = Date.now();
  await page.goto(pathToFileURL(file).href);
  await page.waitForSelector('body[data-charts-ready]', {state: 'attached', timeout: 60000});
  const renderMs = Date.now() - started;
  const charts = Number(await page.getAttribute('body', 'data-charts-ready'));
  // One vote matrix, one panel row per country, one bar chart per decision.
  const decisions = await page.locator('.card.decision').count();
  assert.ok(decisions >= 25, `only ${decisions} decision cards`);
  assert.ok(charts >= 1 + 5 + decisions, `only ${charts} charts`);
  assert.equal(await page.locator('#vote-matrix svg').count(), 1, 'the vote matrix has no SVG');
  const chartHolders = page.locator('section:not([hidden]) .chart');
  const holders = await chartHolders.count();
  for (let index = 0; index < holders; ++index) {
    const svgOrCanvas = await chartHolders.nth(index).locator('svg, canvas').count();
    assert.ok(svgOrCanvas > 0, `chart ${index} has neither SVG nor canvas`);
  }
  assert.match(await page.locator('#vote-summary').innerText(), /recorded one in \d+ of 25 cases/);
  assert.ok((await page.locator('#event-table tr').count()) > 10, 'the event table is empty');
  assert.match(
      await page.locator('.card.decision .explanation').first().innerText(), /probability \d+%/);
  assert.deepEqual(problems, [], 'console errors: ' + problems.join('\n'));
  assert.deepEqual(outside, [], 'requests outside the file: ' + outside.join(', '));

  await page.screenshot({path: path.join(artifacts, 'report-top.png')});
  await page.locator('#country-KAZ').screenshot({
    path: path.join(artifacts, 'report-country-KAZ.png')
  });
  await page.locator('#decision-list > .grid').nth(2).screenshot({
    path: path.join(artifacts, 'report-decisions-ES-11-3.png')
  });
  // The decisions section from its heading: the term legend with the first resolution's charts.
  await page.evaluate(() => document.getElementById('decisions').scrollIntoView());
  const section = await page.locator('#decisions').boundingBox();
  await page.screenshot({
    path: path.join(artifacts, 'report-decisions.png'),
    clip: {
      x: section.x,
      y: Math.max(0, section.y),
      width: section.width,
      height: 1000 - Math.max(0, section.y)
    }
  });
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({path: path.join(artifacts, 'report-full.png'), fullPage: true});
  fs.writeFileSync(
      path.join(artifacts, 'report-metrics.json'),
      JSON.stringify({bytes: size, charts, render_ms: renderMs}, null, 2));
  console.log(`report: ${(size / 1024).toFixed(0)} KiB, ${charts} charts drawn in ${renderMs} ms`);
  await context.close();
});

test('a report with --compare shows the accuracy table against the baselines', async () => {
  // The default run compared with the recorded votes the program carries, so the screenshot
  // shows the real figures.
  const run = runProgram(['run', '--out', 'run']);
  assert.equal(run.status, 0, run.stderr);
  const compare = runProgram(['compare', 'run']);
  assert.equal(compare.status, 0, compare.stderr);
  const report = runProgram(['report', 'run', '--compare', 'run', '-o', 'compare.html']);
  assert.equal(report.status, 0, report.stderr);
  const {context, page, problems} = await watchedPage();
  await page.goto(pathToFileURL(path.join(workdir, 'compare.html')).href);
  await page.waitForSelector('body[data-charts-ready]', {state: 'attached', timeout: 60000});
  assert.equal(await page.locator('#accuracy').isVisible(), true);
  assert.match(await page.locator('#accuracy-table').innerText(), /Always Yes/);
  assert.match(
      await page.locator('#accuracy-intervals').innerText(),
      new RegExp(
          'resampling the 5 resolutions 2000 times, ' +
          'the model\'s accuracy ranges from 0\\.\\d{3} to 1\\.000'));
  assert.equal(await page.locator('#accuracy-chart svg').count(), 1);
  // The interval is drawn once, as a line across the model's accuracy bar, from the same bounds
  // the paragraph states.
  const intervalLines = page.locator('#accuracy-chart svg g.mark-rule.role-mark line');
  assert.equal(await intervalLines.count(), 1);
  const width = Number(await intervalLines.first().evaluate((line) => line.getBBox().width));
  assert.ok(width > 5, `the interval line is ${width} px wide`);
  // Each resolution's accuracy comes with its Wilson interval over that resolution's five votes
  // (ES-11/2: five of five right → 0.57 to 1.00).
  const perResolution = await page.locator('#accuracy-resolutions').innerText();
  assert.match(perResolution, /ES-11\/2\s+1\.00 \[0\.57, 1\.00\]/);
  assert.match(perResolution, /Wilson interval/);
  assert.deepEqual(problems, []);
  await page.locator('#accuracy').screenshot({path: path.join(artifacts, 'report-accuracy.png')});
  await context.close();
});

// Starts `multivector serve` on a free port and resolves to its address once it listens.
function startServer() {
  return new Promise((resolve, reject) => {
    const child =
        spawn(program, ['serve', '--port', '0'], {cwd: workdir, stdio: ['ignore', 'pipe', 'pipe']});
    let output = '';
    const timer = setTimeout(() => reject(new Error('serve did not start: ' + output)), 20000);
    child.stdout.on('data', (chunk) => {
      output += chunk;
      const match = output.match(/http:\/\/127\.0\.0\.1:(\d+)\//);
      if (match) {
        clearTimeout(timer);
        resolve({child, url: match[0], output: () => output});
      }
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
    });
    child.on('exit', (code) => reject(new Error(`serve exited with ${code}: ${output}`)));
  });
}

function stopServer(server) {
  return new Promise((resolve) => {
    server.child.removeAllListeners('exit');
    server.child.on('exit', (code, signal) => resolve({code, signal}));
    server.child.kill('SIGTERM');
  });
}

const cells = (page) => page.$$eval(
    'td.cell',
    (all) =>
        all.map((c) => `${c.dataset.item}|${c.dataset.country}|${c.dataset.vote}|${c.dataset.p}`));

test(
    'the what-if page recomputes votes when a slider moves, validates input and downloads YAML',
    async () => {
      const server = await startServer();
      const {context, page, problems, outside} = await watchedPage();
      try {
        await page.goto(server.url);
        await page.waitForFunction(() => window.multivector && window.multivector.ready);
        const before = await cells(page);
        assert.equal(before.length, 30, 'expected 5 countries × 6 items');

        // Move a slider: Tajikistan's remittances no longer at Russia's mercy.
        await page.locator('details[data-country="TJK"] > summary').click();
        const slider =
            page.locator('input[type=range][data-path="countries.TJK.exposure.RUS.remittances"]');
        const simulated =
            page.waitForResponse((response) => response.url().endsWith('/api/simulate'));
        await slider.fill('0');
        const reply = await simulated;
        // Compressing the reply took ten times longer than the model (results/whatif.hpp).
        assert.equal(
            reply.headers()['content-encoding'], undefined, 'the what-if reply was compressed');
        await page.waitForFunction(() => window.multivector.updates >= 1);
        const after = await cells(page);
        assert.notDeepEqual(
            after, before, 'no probability or vote changed after moving the slider');

        // Latency from release to redraw, measured in the page over several moves, and where each
        // move's time went: the page's own marks plus the browser's Resource Timing of the request.
        const latencies = [];
        const serverTimes = [];
        const phases = [];
        const values = [
          '0.1', '0.2',  '0.3',  '0.4',  '0.5',  '0.6',  '0.7',  '0.8',  '0.9',  '1',
          '0.5', '0.25', '0.75', '0.05', '0.95', '0.35', '0.65', '0.15', '0.85', '0.45'
        ];
        const transit =
            page.locator('input[type=range][data-path="countries.KAZ.exposure.RUS.transit"]');
        for (const value of values) {
          const count = await page.evaluate(() => window.multivector.updates);
          await transit.fill(value);
          await page.waitForFunction((n) => window.multivector.updates > n, count);
          const move = await page.evaluate(() => {
            const last = window.multivector.lastUpdate;
            const request = performance.getEntriesByType('resource')
                                .filter((entry) => entry.name.endsWith('/api/simulate'))
                                .pop();
            performance.clearResourceTimings();
            const round = (value) => Math.round(10 * value) / 10;
            return {
              ms: last.ms,
              server_ms: last.server_ms,
              // Release to fetch(), fetch() to the request on the socket, request to the first
              // byte (the server's work is server_ms of it), the body, reading the JSON,
              // redrawing the table, and waiting for the frame that shows it.
              phases: {
                page_before_fetch: round(request.startTime - last.started),
                browser_sending: round(request.requestStart - request.startTime),
                waiting_for_reply: round(request.responseStart - request.requestStart),
                receiving: round(request.responseEnd - request.responseStart),
                reading_json: round(last.started + last.fetch_ms - request.responseEnd),
                redrawing: round(last.render_ms),
                next_frame: round(last.ms - last.fetch_ms - last.render_ms)
              }
            };
          });
          latencies.push(move.ms);
          serverTimes.push(move.server_ms);
          phases.push({ms: Math.round(10 * move.ms) / 10, ...move.phases});
          if (process.env.VERBOSE) console.log(JSON.stringify(move));
        }
        const slowest = phases.reduce((a, b) => (b.ms > a.ms ? b : a));
        latencies.sort((a, b) => a - b);
        serverTimes.sort((a, b) => a - b);
        const median = latencies[Math.floor(latencies.length / 2)];
        const worst = latencies[latencies.length - 1];
        const latency = {
          moves: latencies.length,
          median_ms: median,
          max_ms: worst,
          median_server_ms: serverTimes[Math.floor(serverTimes.length / 2)],
          slowest_move: slowest,
          each_move: phases
        };
        fs.writeFileSync(
            path.join(artifacts, 'whatif-latency.json'), JSON.stringify(latency, null, 2));
        console.log(
            `what-if latency from release to redraw: median ${median.toFixed(1)} ms, ` +
            `max ${worst.toFixed(1)} ms (server ${latency.median_server_ms.toFixed(2)} ms)`);
        const {ms: _, ...slowestPhases} = slowest;
        console.log(
            'slowest move, ms by phase: ' +
            Object.entries(slowestPhases).map(([phase, ms]) => `${phase} ${ms}`).join(', '));
        // The target is 100 ms (met on a quiet machine; the server's own share is about 1 ms). The
        // assertion only catches a gross regression, since a shared 2-core CI machine under load
        // stretches every browser round trip.
        assert.ok(median < 1000, `median latency ${median} ms`);

        // Switch Russia's note of 6 April 2022 off: the Human Rights Council vote must move.
        const beforeNote = (await cells(page)).filter((c) => c.startsWith('ES-11/3|'));
        const updates = await page.evaluate(() => window.multivector.updates);
        await page.locator('input[type=checkbox][data-event="rus_note_hrc_2022_04_06"]').uncheck();
        await page.waitForFunction((n) => window.multivector.updates > n, updates);
        const afterNote = (await cells(page)).filter((c) => c.startsWith('ES-11/3|'));
        assert.notDeepEqual(afterNote, beforeNote, 'dropping the note changed nothing on ES-11/3');
        await page.locator('td.cell[data-item="ES-11/3"][data-country="KAZ"]').click();
        await page.evaluate(() => {
          window.scrollTo(0, 0);
          document.getElementById('controls').scrollTop = 0;
        });
        await page.screenshot({path: path.join(artifacts, 'whatif.png')});

        // A value out of range: a message on the page, the server still answers afterwards.
        const box = page.locator('input.number[data-path="countries.KAZ.exposure.RUS.trade"]');
        await box.fill('7');
        await box.press('Enter');
        await page.locator('#errors .error').first().waitFor();
        assert.match(await page.locator('#errors').innerText(), /out of range/);
        await page.screenshot({path: path.join(artifacts, 'whatif-error.png')});
        const refusals = await page.evaluate(() => window.multivector.refusals);
        await box.fill('not a number');
        await box.press('Enter');
        await page.waitForFunction((n) => window.multivector.refusals > n, refusals);
        assert.match(await page.locator('#errors').innerText(), /expected a number/);
        const count = await page.evaluate(() => window.multivector.updates);
        await transit.fill('0.9');
        await page.waitForFunction((n) => window.multivector.updates > n, count);
        assert.equal(
            await page.locator('#errors .error').count(), 0,
            'the error message stayed after a valid change');

        // Download the changed scenario; `validate` and `run` must accept it.
        const [download] =
            await Promise.all([page.waitForEvent('download'), page.locator('#download').click()]);
        const yamlPath = path.join(workdir, 'whatif.yaml');
        await download.saveAs(yamlPath);
        fs.copyFileSync(yamlPath, path.join(artifacts, 'whatif.yaml'));
        const yaml = fs.readFileSync(yamlPath, 'utf8');
        assert.match(yaml, /--drop-event rus_note_hrc_2022_04_06/);
        assert.doesNotMatch(yaml, /id: rus_note_hrc_2022_04_06/);
        const validate = runProgram(['validate', yamlPath]);
        assert.equal(validate.status, 0, validate.stderr);
        const rerun = runProgram(['run', yamlPath, '--out', 'whatif-run']);
        assert.equal(rerun.status, 0, rerun.stderr);

        // Reset brings back the unchanged scenario.
        const resetCount = await page.evaluate(() => window.multivector.updates);
        await page.locator('#reset').click();
        await page.waitForFunction((n) => window.multivector.updates > n, resetCount);
        assert.deepEqual(await cells(page), before, 'reset did not restore the unchanged votes');

        assert.deepEqual(
            problems.filter((p) => !/status of 400/.test(p)), [],
            'console errors: ' + problems.join('\n'));
        assert.deepEqual(outside, []);
      } finally {
        await context.close();
        const stopped = await stopServer(server);
        assert.equal(stopped.code, 0, 'serve did not exit cleanly on SIGTERM: ' + server.output());
        assert.match(server.output(), /stopped/);
      }
    });
