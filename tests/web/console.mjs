// The operator console in a real browser (Debian's chromium, driven by
// puppeteer-core), against the site tests/netns/web-console.sh runs.
// Every check looks at what a person sees on the page, or at what
// `lvsctl show` says after a click.  Prints "ok"/"not ok" lines; exits 1
// on any failure.  Environment (from the shell test):
//   WEB_URL, WEB_RO_URL (a second lvsd-web with admin off), ARTEFACTS,
//   LVSCTL (command), KILL_REAL2 (command), REFRESH_MS, POLL_MS,
//   ADMIN_USER, ADMIN_PASSWORD
import { execSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer from 'puppeteer-core';

const env = process.env;
const url = env.WEB_URL;
const artefacts = env.ARTEFACTS;
const oneRefresh = Number(env.REFRESH_MS) + Number(env.POLL_MS) + 1000;
let passed = 0, failed = 0;
function ok(name) { passed++; console.log('ok - ' + name); }
function no(name, why) { failed++; console.log('not ok - ' + name + (why ? ': ' + why : '')); }
async function check(name, fn) {
  try {
    const r = await fn();
    if (r === false) no(name); else ok(name);
  } catch (e) { no(name, e.message.split('\n')[0]); }
}
const sh = (cmd) => execSync(cmd, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const lvsctl = (args) => sh(env.LVSCTL + ' ' + args);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function until(what, fn, ms) {
  const end = Date.now() + ms;
  for (;;) {
    if (await fn()) return;
    if (Date.now() > end) throw new Error(what + ' not seen within ' + ms + ' ms');
    await sleep(100);
  }
}
const cellText = (page, label, cls) => page.$eval(
  `tr[data-server="${label}"] td.${cls}`, (e) => e.textContent).catch(() => '');

mkdirSync(artefacts, { recursive: true });
const profile = mkdtempSync(join(tmpdir(), 'lvsd-web-chromium-'));
const browser = await puppeteer.launch({
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--user-data-dir=' + profile],
});
const errors = [];
function watch(page, name) {
  page.on('console', (m) => { if (m.type() === 'error') errors.push(name + ': ' + m.text()); });
  page.on('pageerror', (e) => errors.push(name + ': ' + e.message));
  page.on('requestfailed', (r) => errors.push(name + ': request failed ' + r.url()));
  page.on('response', (r) => { if (r.status() >= 400) errors.push(name + ': HTTP ' + r.status() + ' ' + r.url()); });
}

try {
  const page = await browser.newPage();
  watch(page, 'console');
  await page.setViewport({ width: 1280, height: 900 });

  await check('page loads: both real servers UP', async () => {
    await page.goto(url, { waitUntil: 'networkidle0' });
    await until('Real1 and Real2 UP', async () =>
      (await cellText(page, 'web/Real1', 'health')) === 'UP' &&
      (await cellText(page, 'web/Real2', 'health')) === 'UP', 10000);
  });
  await check('page shows the director, its VIPs and the services', async () => {
    const text = await page.$eval('main', (e) => e.innerText);
    for (const want of ['Active: holds the VIPs', '10.77.0.100', 'tcp 10.77.0.100:80', 'udp 10.77.0.101:53', 'Real1'])
      if (!text.includes(want)) throw new Error('missing "' + want + '"');
  });
  await check('plots drawn by dygraphs', async () => {
    await until('two charts', async () => (await page.$$('#plot-conns canvas, #plot-conns .empty')).length > 0 &&
      (await page.$$('#plot-traffic canvas, #plot-traffic .empty')).length > 0, 15000);
  });
  await page.screenshot({ path: join(artefacts, 'console.png'), fullPage: true });

  await check('a real server taken down shows DOWN with its reason within one refresh', async () => {
    sh(env.KILL_REAL2);
    await until('lvsd sees Real2 down', async () => /Real2 .* down /.test(lvsctl('show')), 10000);
    const t0 = Date.now();
    await until('the page shows DOWN', async () => (await cellText(page, 'web/Real2', 'health')) === 'DOWN', oneRefresh);
    const why = await cellText(page, 'web/Real2', 'why');
    if (!/refused/i.test(why)) throw new Error('reason "' + why + '"');
    console.log('# DOWN on the page ' + (Date.now() - t0) + ' ms after lvsctl show had it');
  });
  await check('the transition is on the timeline and in the events', async () => {
    await until('event row', async () => (await page.$eval('#events', (e) => e.innerText)).match(/web\/Real2\s+UP → DOWN/), oneRefresh);
  });

  await check('after `lvsctl drain` the page shows it drained and by whom', async () => {
    lvsctl('drain web/Real1');
    const who = sh('id -un').trim();
    await until('drained by ' + who, async () => (await cellText(page, 'web/Real1', 'health')) === 'DRAINED' &&
      (await cellText(page, 'web/Real1', 'override')).startsWith('drained by ' + who), oneRefresh);
  });
  lvsctl('enable web/Real1');
  await page.screenshot({ path: join(artefacts, 'console-down.png'), fullPage: true });

  // Refused actions: no session; a session but a forged form without
  // the CSRF token; the token but another Origin.
  const form = (extra) => new URLSearchParams({ action: 'drain', server: 'web/Real1', ...extra });
  await check('action without login: refused (401), nothing drained', async () => {
    const r = await fetch(url + '/api/v1/action', { method: 'POST', body: form({}),
      headers: { Origin: url } });
    if (r.status !== 401) throw new Error('HTTP ' + r.status);
    if (/Real1 .*drained/.test(lvsctl('show'))) throw new Error('drained');
  });

  await check('login with a wrong password: refused', async () => {
    await page.click('#login-open');
    await page.type('#login-user', env.ADMIN_USER);
    await page.type('#login-password', 'not-the-password');
    await page.click('#login button[type=submit]');
    await until('error shown', async () => (await page.$eval('#login-error', (e) => e.textContent)).includes('wrong'), 5000);
    // The 401 of that login is expected (it shows as a console error).
    for (let i = errors.length - 1; i >= 0; i--)
      if (errors[i].includes('/api/v1/login') || errors[i].includes('status of 401')) errors.splice(i, 1);
    await page.$eval('#login-password', (e) => { e.value = ''; });
  });
  await check('login: the page says who is logged in', async () => {
    await page.type('#login-password', env.ADMIN_PASSWORD);
    await page.click('#login button[type=submit]');
    await until('logged in', async () => (await page.$eval('#who', (e) => e.textContent)) === 'logged in as ' + env.ADMIN_USER, 10000);
  });
  const cookies = await page.cookies();
  const session = cookies.find((c) => c.name === 'lvsd_session');
  await check('session cookie: HttpOnly, SameSite=Strict', async () =>
    session && session.httpOnly && session.sameSite === 'Strict');

  await check('forged form (same site, session cookie, no CSRF token): refused', async () => {
    const forged = await browser.newPage();   // its console is not watched: a 403 is expected
    await forged.goto(url + '/app.css');
    const [resp] = await Promise.all([
      forged.waitForNavigation(),
      forged.evaluate(() => {
        const f = document.createElement('form');
        f.method = 'POST';
        f.action = '/api/v1/action';
        for (const [k, v] of [['action', 'drain'], ['server', 'web/Real1']]) {
          const i = document.createElement('input');
          i.name = k; i.value = v; f.append(i);
        }
        document.body.append(f);
        f.submit();
      }),
    ]);
    await forged.close();
    if (resp.status() !== 403) throw new Error('HTTP ' + resp.status());
    if (/Real1 .*drained/.test(lvsctl('show'))) throw new Error('drained');
  });
  await check('right token but another Origin: refused', async () => {
    const csrf = (await (await fetch(url + '/api/v1/session', { headers: { Cookie: 'lvsd_session=' + session.value } })).json()).csrf;
    const r = await fetch(url + '/api/v1/action', { method: 'POST', body: form({ csrf }),
      headers: { Cookie: 'lvsd_session=' + session.value, Origin: 'http://attacker.invalid' } });
    if (r.status !== 403) throw new Error('HTTP ' + r.status);
    if (/Real1 .*drained/.test(lvsctl('show'))) throw new Error('drained');
  });

  await check('the drain button drains it (lvsctl show), by web:' + env.ADMIN_USER, async () => {
    await until('drain button', async () => !!(await page.$('tr[data-server="web/Real1"] button[data-action="drain"]')), oneRefresh);
    await page.click('tr[data-server="web/Real1"] button[data-action="drain"]');
    await until('lvsctl show: drained', async () => /Real1 .*drained/.test(lvsctl('show')), 5000);
    const s = JSON.parse(lvsctl('--json show')).virtual_services[0].servers[0];
    // lvsd records whom lvsd-web acts for, and who lvsd-web is (root here).
    if (s.override_by !== 'web:' + env.ADMIN_USER + ' via root') throw new Error('override_by ' + s.override_by);
    await until('page: drained by web:' + env.ADMIN_USER, async () =>
      (await cellText(page, 'web/Real1', 'override')).startsWith('drained by web:' + env.ADMIN_USER), oneRefresh);
  });
  await page.screenshot({ path: join(artefacts, 'console-admin.png'), fullPage: true });
  await check('the enable button undoes it', async () => {
    await page.click('tr[data-server="web/Real1"] button[data-action="enable"]');
    await until('lvsctl show: not drained', async () => !/Real1 .*drained/.test(lvsctl('show')), 5000);
  });
  await check('log out: the buttons are gone', async () => {
    await page.click('#logout');
    await until('no buttons', async () => !(await page.$('button[data-action]')), 5000);
  });

  await check('phone: each real server a card, no sideways scrolling', async () => {
    const phone = await browser.newPage();
    watch(phone, 'phone');
    await phone.setViewport({ width: 390, height: 844, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
    await phone.goto(url, { waitUntil: 'networkidle0' });
    await until('rows', async () => (await cellText(phone, 'web/Real1', 'health')) !== '', 10000);
    const wide = await phone.evaluate(() => document.documentElement.scrollWidth);
    await phone.screenshot({ path: join(artefacts, 'console-phone.png'), fullPage: true });
    await phone.close();
    if (wide > 400) throw new Error('page is ' + wide + ' px wide');
  });

  await check('without the admin role: no login, actions refused (403)', async () => {
    const ro = await browser.newPage();
    watch(ro, 'read-only');
    await ro.goto(env.WEB_RO_URL, { waitUntil: 'networkidle0' });
    await until('rows', async () => (await cellText(ro, 'web/Real1', 'health')) !== '', 10000);
    const login = await ro.$eval('#login-open', (e) => e.classList.contains('hidden'));
    await ro.close();
    const r = await fetch(env.WEB_RO_URL + '/api/v1/action', { method: 'POST', body: form({}),
      headers: { Origin: env.WEB_RO_URL } });
    if (!login || r.status !== 403) throw new Error('login hidden ' + login + ', HTTP ' + r.status);
  });

  await check('no console error, failed request or error status on any page', async () => {
    if (errors.length) throw new Error(errors.join('; '));
  });
} finally {
  await browser.close();
  rmSync(profile, { recursive: true, force: true });
}
console.log(passed + ' passed, ' + failed + ' failed');
process.exit(failed ? 1 : 0);
