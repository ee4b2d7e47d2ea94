/*
 * lvsd console: polls /api/v1/state every `refresh` and updates the page
 * in place (rows are keyed by VIRTUAL/SERVER and only changed text is
 * touched).  Text from lvsd goes in with textContent only, never as HTML.
 * Admin actions appear only for a logged-in operator and carry the
 * session's CSRF token.
 */
'use strict';
(function () {
  const $ = (id) => document.getElementById(id);
  const HOUR = 3600 * 1000;
  const MAX_ROWS = 500;            // real servers drawn at once
  let state = null;
  let session = { admin: false, user: null, csrf: null };
  let plotService = null, lastPlotFetch = 0;
  const charts = {};
  const svcBodies = new Map();     // virtual name -> tbody
  const rows = new Map();          // "v/s" -> {tr, cells}

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function setText(node, text) {
    text = text === null || text === undefined ? '' : String(text);
    if (node.textContent !== text) node.textContent = text;
  }
  function setClass(node, cls) { if (node.className !== cls) node.className = cls; }
  function show(node, on) { node.classList.toggle('hidden', !on); }
  function pad(n) { return String(n).padStart(2, '0'); }
  function clock(ms) {
    const d = new Date(ms);
    return pad(d.getHours()) + ':' + pad(d.getMinutes()) + ':' + pad(d.getSeconds());
  }
  function ago(ms) {
    const s = Math.max(0, Math.round(ms / 1000));
    if (s < 120) return s + ' s ago';
    if (s < 7200) return Math.round(s / 60) + ' min ago';
    return Math.round(s / 3600) + ' h ago';
  }
  function uptime(s) {
    const d = Math.floor(s / 86400), h = Math.floor(s / 3600) % 24;
    const m = Math.floor(s / 60) % 60;
    return (d ? d + 'd ' : '') + h + 'h ' + pad(m) + 'm';
  }
  function rate(bps) {
    if (bps === undefined || bps === null) return '';
    const u = ['B/s', 'kB/s', 'MB/s', 'GB/s'];
    let i = 0;
    while (bps >= 1000 && i < u.length - 1) { bps /= 1000; i++; }
    return (i ? bps.toFixed(1) : String(bps)) + ' ' + u[i];
  }
  function num(v) { return v === undefined || v === null ? '' : String(v); }

  /* ---- health as a person reads it -------------------------------- */
  function badge(s) {
    if (s.health === 'down') return 'DOWN';
    if (s.override === 'drain') return 'DRAINED';
    if (s.override === 'disable') return 'DISABLED';
    if (s.health === 'up') return 'UP';
    if (s.health === 'inactive') return 'INACTIVE';
    return 'NOT CHECKED';
  }
  function reason(s) {
    // An override has its own column: here, what the check says.
    if (s.why && !(s.override && s.health !== 'down')) return s.why;
    return s.last_check || '';
  }
  function overrideText(s) {
    if (!s.override) return '';
    const what = s.override === 'drain' ? 'drained' : 'disabled';
    const by = s.override_by ? ' by ' + s.override_by : '';
    const at = s.override_at ? ' at ' + clock(s.override_at * 1000) : '';
    return what + by + at;
  }
  function isProblem(s) {
    return s.health === 'down' || !!s.override || !s.in_table;
  }

  /* ---- network ------------------------------------------------------ */
  async function getJSON(url) {
    const r = await fetch(url, { cache: 'no-store', credentials: 'same-origin' });
    if (!r.ok) throw new Error(url + ': HTTP ' + r.status);
    return r.json();
  }
  async function post(url, fields) {
    const body = new URLSearchParams(fields);
    if (session.csrf) body.set('csrf', session.csrf);
    const r = await fetch(url, { method: 'POST', body, credentials: 'same-origin' });
    let j = {};
    try { j = await r.json(); } catch (e) { j = { error: 'HTTP ' + r.status }; }
    if (!r.ok || !j.ok) throw new Error(j.error || ('HTTP ' + r.status));
    return j;
  }
  function notice(text, bad) {
    const n = $('notice');
    setText(n, text);
    n.classList.toggle('bad', !!bad);
    show(n, !!text);
  }

  /* ---- header, directors, VIPs, reload ------------------------------- */
  function renderHeader() {
    const st = state.status, web = state.web;
    setText($('host-role'), st ? st.role + ' director' : '');
    const pill = $('overall');
    let servers = 0, down = 0;
    for (const v of (state.show ? state.show.virtual_services : []))
      for (const s of v.servers) { servers++; if (s.health === 'down') down++; }
    const rejected = st && st.last_reload && st.last_reload.result === 'rejected';
    if (web.error) { setText(pill, 'lvsd not answering'); setClass(pill, 'pill bad'); }
    else if (down || rejected) {
      setText(pill, down ? down + ' of ' + servers + ' real servers down' : 'last reload rejected');
      setClass(pill, 'pill warn');
    } else { setText(pill, 'all ' + servers + ' real servers up'); setClass(pill, 'pill ok'); }
    setText($('updated'), web.last_ok_ms ? 'updated ' + clock(web.last_ok_ms) : '');
    const b = $('banner');
    setText(b, web.error ? 'lvsd is not answering since ' + clock(web.error_since_ms) +
      ': ' + web.error + (st ? ' (the page shows what it said last)' : '') : '');
    show(b, !!web.error);
    setText($('footer'), 'lvsd-web ' + web.version + ' · asks lvsd every ' +
      web.poll_ms / 1000 + ' s, this page refreshes every ' + web.refresh_ms / 1000 + ' s');
  }

  function renderDirector() {
    const st = state.status;
    if (!st) return;
    const f = st.failover, box = $('director');
    box.replaceChildren();
    const big = el('div', 'big ' + (f.active ? 'state-MASTER' : 'state-BACKUP'),
      f.active ? 'Active: holds the VIPs' : 'Standby');
    box.append(big, el('div', '', st.role + ' director · ' + f.mode + ' · up ' +
      uptime(st.uptime_s) + ' · lvsd ' + st.version + (st.ipvs_dry_run ? ' · IPVS dry run' : '')));
    const tb = $('instances').tBodies[0];
    tb.replaceChildren();
    for (const i of f.instances) {
      const tr = el('tr');
      tr.append(el('td', '', i.name), el('td', 'state-' + i.state, i.state),
        el('td', 'num', i.adverts_sent + ' / ' + i.adverts_received + ' / ' + i.dropped));
      tb.append(tr);
    }
    show($('drill'), !!session.user && f.active && f.mode !== 'lone director');
  }

  function renderPeer() {
    const st = state.status, box = $('peer');
    if (!st) return;
    box.replaceChildren();
    const f = st.failover, peers = state.web.peers || {}, now = state.web.now_ms;
    const other = st.role === 'primary' ? 'backup' : 'primary';
    if (f.mode === 'lone director' || f.instances.length === 0) {
      box.append(el('div', 'big state-INIT', 'None'), el('div', 'muted', 'a lone director: no failover'));
      return;
    }
    const fresh = 3 * state.web.poll_ms + 3000;
    for (const i of f.instances) {
      const p = peers[i.name] || {};
      const heard = p.heard_ms ? now - p.heard_ms : null;
      let role, detail;
      if (heard !== null && heard < fresh) {
        role = i.state === 'MASTER' ? 'alive' : 'MASTER';
        detail = 'heard ' + ago(heard);
      } else if (i.state === 'MASTER') {
        role = f.mode === 'VRRP' ? 'BACKUP or down' : 'not heard';
        detail = f.mode === 'VRRP' ? 'a VRRP master hears no adverts from a backup' :
          (heard === null ? 'never heard' : 'last heard ' + ago(heard));
      } else {
        role = 'not heard';
        detail = heard === null ? 'no advert seen since lvsd-web started' : 'last heard ' + ago(heard);
      }
      const cls = role === 'MASTER' ? 'state-MASTER' : role === 'not heard' ? 'state-FAULT' : 'state-BACKUP';
      box.append(el('div', 'big ' + cls, role),
        el('div', 'muted', other + ' director, instance ' + i.name + ': ' + detail));
    }
  }

  function renderVips() {
    const list = $('vips'), seen = new Map(), st = state.status;
    if (!state.show || !st) return;
    for (const v of state.show.virtual_services) {
      if (!v.active) continue;
      const key = v.address !== undefined ? v.address : 'fwmark ' + v.fwmark;
      if (!seen.has(key)) seen.set(key, []);
      seen.get(key).push(v.name);
    }
    const holder = st.failover.active ? 'held by this director (' + st.role + ')' :
      'held by the peer';
    list.replaceChildren();
    let n = 0;
    for (const [addr, names] of seen) {
      if (n++ === 20) { list.append(el('li', 'muted', (seen.size - 20) + ' more')); break; }
      const li = el('li');
      li.append(el('strong', '', addr), el('span', 'muted', ' ' + names.join(', ') + ' · '),
        el('span', st.failover.active ? 'state-MASTER' : 'state-BACKUP', holder));
      list.append(li);
    }
  }

  function renderReload() {
    const st = state.status, box = $('reload'), errs = $('reload-errors');
    if (!st) return;
    box.replaceChildren();
    errs.replaceChildren();
    const r = st.last_reload;
    box.append(el('div', '', st.reloads + ' reload' + (st.reloads === 1 ? '' : 's') + ', ' +
      st.reload_failures + ' rejected'));
    if (!r) { box.append(el('div', 'muted', 'none since lvsd started')); return; }
    const cls = r.result === 'applied' ? 'state-MASTER' : 'state-FAULT';
    box.append(el('div', 'big ' + cls, r.result),
      el('div', 'muted', r.file + ' at ' + clock(r.time * 1000)));
    if (r.changes) {
      const c = r.changes;
      box.append(el('div', 'muted', 'services +' + c.services_added + ' ~' + c.services_changed +
        ' -' + c.services_removed + ', real servers +' + c.servers_added + ' ~' +
        c.servers_changed + ' -' + c.servers_removed));
    }
    for (const e of (r.errors || []).slice(0, 10)) errs.append(el('li', '', e));
  }

  /* ---- the table, updated in place ------------------------------------- */
  function serverRow(label) {
    let r = rows.get(label);
    if (r) return r;
    const tr = el('tr');
    tr.dataset.server = label;
    const names = ['name', 'addr', 'health', 'why', 'weight', 'conns', 'cps',
      'traffic', 'override', 'actions'];
    const heads = ['Server', 'Address', 'Health', 'Reason', 'Weight', 'Connections',
      'Conn/s', 'Traffic', 'Override', 'Action'];
    const cells = {};
    names.forEach((n, i) => {
      const td = el('td', n);
      td.dataset.label = heads[i];
      if (['weight', 'conns', 'cps', 'traffic'].includes(n)) td.classList.add('num');
      if (n === 'actions') td.classList.add('admin-col');
      cells[n] = td;
      tr.append(td);
    });
    cells.badge = el('span', 'badge');
    cells.health.append(cells.badge);
    r = { tr, cells, actions: '' };
    rows.set(label, r);
    return r;
  }

  function actionButtons(r, label, s) {
    const want = s.override === 'drain' ? ['enable', 'disable'] :
      s.override === 'disable' ? ['enable', 'drain'] : ['drain', 'disable'];
    const key = session.user ? want.join() : '';
    if (r.actions === key) return;
    r.actions = key;
    r.cells.actions.replaceChildren();
    if (!session.user) return;
    for (const a of want) {
      const b = el('button', '', a[0].toUpperCase() + a.slice(1));
      b.type = 'button';
      b.dataset.action = a;
      b.dataset.server = label;
      r.cells.actions.append(b);
    }
  }

  function updateRow(v, s) {
    const label = v.name + '/' + s.name, r = serverRow(label), c = r.cells;
    setText(c.name, s.name);
    setText(c.addr, s.address + ':' + s.port + ' ' + s.forward);
    const b = badge(s);
    setText(c.badge, b);
    setClass(c.badge, 'badge h-' + b.toLowerCase().replace(' ', '-'));
    setText(c.why, reason(s));
    setText(c.weight, s.weight + ' → ' + (s.in_table ? s.effective_weight : 'out'));
    setText(c.conns, s.in_kernel ? s.active_conns + ' / ' + s.inactive_conns : '');
    setText(c.cps, num(s.cps));
    setText(c.traffic, s.in_kernel ? '↓' + rate(s.inbps) + ' ↑' + rate(s.outbps) : '');
    setText(c.override, overrideText(s));
    actionButtons(r, label, s);
    return r.tr;
  }

  function serviceBody(v) {
    let tb = svcBodies.get(v.name);
    if (!tb) {
      tb = el('tbody');
      const tr = el('tr', 'svc'), td = el('td');
      td.colSpan = 10;
      tb.head = el('span', 'svc-name');
      tb.detail = el('span', 'muted');
      tb.head.addEventListener('click', () => { plotService = v.name; $('plot-service').value = v.name; fetchPlots(true); });
      td.append(tb.head, tb.detail);
      tr.append(td);
      tb.append(tr);
      tb.dataset.virtual = v.name;
      svcBodies.set(v.name, tb);
    }
    setText(tb.head, v.name);
    setText(tb.detail, '  ' + v.service + ' · ' + v.scheduler + (v.active ? '' : ' · inactive') +
      (v.cps !== undefined ? ' · ' + v.cps + ' conn/s · ↓' + rate(v.inbps) + ' ↑' + rate(v.outbps) : ''));
    return tb;
  }

  function matches(v, s, words) {
    if (!words.length) return true;
    const hay = (v.name + '/' + s.name + ' ' + v.service + ' ' + s.address + ' ' + badge(s) +
      ' ' + (s.why || '')).toLowerCase();
    return words.every((w) => hay.includes(w));
  }

  function renderTable() {
    if (!state.show) return;
    const table = $('servers'), words = $('filter').value.toLowerCase().split(/\s+/).filter(Boolean);
    const problems = $('problems').checked, keep = new Set(), keepSvc = new Set();
    let drawn = 0, total = 0, up = 0, taking = 0, before = table.tHead;
    for (const v of state.show.virtual_services) {
      const picked = [];
      for (const s of v.servers) {
        total++;
        if (s.health === 'up' || s.health === 'not checked') up++;
        if (s.in_table && s.effective_weight > 0) taking++;
        if ((!problems || isProblem(s)) && matches(v, s, words) && drawn < MAX_ROWS) {
          picked.push(s);
          drawn++;
        }
      }
      if (!picked.length) continue;
      const tb = serviceBody(v);
      keepSvc.add(v.name);
      let prev = tb.rows[0];
      for (const s of picked) {
        const tr = updateRow(v, s);
        keep.add(tr.dataset.server);
        if (prev.nextSibling !== tr) prev.after(tr);
        prev = tr;
      }
      if (before.nextSibling !== tb) before.after(tb);
      before = tb;
    }
    for (const [label, r] of rows) if (!keep.has(label)) { r.tr.remove(); rows.delete(label); }
    for (const [name, tb] of svcBodies) if (!keepSvc.has(name)) { tb.remove(); svcBodies.delete(name); }
    setText($('counts'), state.show.virtual_services.length + ' virtual services · ' + total +
      ' real servers, ' + up + ' up, ' + taking + ' taking traffic');
    const tr = $('truncated');
    setText(tr, drawn >= MAX_ROWS ? 'Showing the first ' + MAX_ROWS + ' matching real servers: filter to see others.' : '');
    show(tr, drawn >= MAX_ROWS);
  }

  /* ---- plots ---------------------------------------------------------- */
  function renderPlotChoice() {
    if (!state.show) return;
    const sel = $('plot-service'), names = state.show.virtual_services.map((v) => v.name);
    if (sel.options.length !== names.length || names.some((n, i) => sel.options[i].value !== n)) {
      sel.replaceChildren(...names.slice(0, 2000).map((n) => { const o = el('option', '', n); o.value = n; return o; }));
    }
    if (!plotService || !names.includes(plotService)) plotService = names[0] || null;
    if (plotService) sel.value = plotService;
  }

  function drawPlot(id, h, names, value) {
    const div = $(id);
    let any = false;
    const data = [];
    for (let i = 0; i < h.slots; i++) {
      const row = [new Date(h.start_ms + i * h.step_ms)];
      for (const n of names) {
        const v = value(h.servers[n], i);
        if (v !== null) any = true;
        row.push(v);
      }
      data.push(row);
    }
    const key = names.join('\u0000');
    if (!any || typeof Dygraph === 'undefined') {
      if (charts[id]) { charts[id].g.destroy(); delete charts[id]; }
      div.replaceChildren(el('div', 'empty', 'no samples yet (one every ' + h.step_ms / 1000 + ' s)'));
      return;
    }
    if (charts[id] && charts[id].key === key) { charts[id].g.updateOptions({ file: data }); return; }
    if (charts[id]) charts[id].g.destroy();
    div.replaceChildren();
    const g = new Dygraph(div, data, {
      labels: ['time'].concat(names), legend: 'always', labelsKMB: true,
      connectSeparatedPoints: false, drawPoints: false, strokeWidth: 1.5,
      includeZero: true, labelsSeparateLines: false, animatedZooms: false,
    });
    charts[id] = { g, key };
  }

  async function fetchPlots(force) {
    if (!plotService) return;
    const now = Date.now();
    if (!force && now - lastPlotFetch < 10000) return;
    lastPlotFetch = now;
    let h;
    try { h = await getJSON('/api/v1/history?virtual=' + encodeURIComponent(plotService)); }
    catch (e) { return; }  // beyond history_servers: the plots stay empty
    const names = Object.keys(h.servers);
    h.slots = names.length ? h.servers[names[0]].active_conns.length : 0;
    drawPlot('plot-conns', h, names, (s, i) => s.active_conns[i]);
    drawPlot('plot-traffic', h, names, (s, i) => (s.inbps[i] === null && s.outbps[i] === null) ?
      null : (s.inbps[i] || 0) + (s.outbps[i] || 0));
  }

  /* ---- timeline and events -------------------------------------------- */
  const SVGNS = 'http://www.w3.org/2000/svg';
  function svg(tag, attrs, text) {
    const e = document.createElementNS(SVGNS, tag);
    for (const k in attrs) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function renderTimeline() {
    const now = state.web.now_ms, start = now - HOUR, box = $('timeline');
    const evs = state.events.filter((e) => e.time_ms >= start);
    const subjects = new Map();
    for (const e of evs) {
      if (e.kind !== 'health' && e.kind !== 'vrrp' && e.kind !== 'operator') continue;
      if (!subjects.has(e.subject)) subjects.set(e.subject, []);
      subjects.get(e.subject).push(e);
    }
    const names = [...subjects.keys()].slice(-25);
    const W = 1000, L = 170, ROW = 22, H = 24 + Math.max(1, names.length) * ROW;
    const x = (t) => L + (W - L - 10) * (t - start) / HOUR;
    const g = svg('svg', { viewBox: '0 0 ' + W + ' ' + H, role: 'img', 'aria-label': 'transitions over the last hour' });
    for (let m = 0; m <= 60; m += 10) {
      const t = start + m * 60000;
      g.append(svg('text', { x: x(t) - 14, y: 12 }, m === 60 ? 'now' : '-' + (60 - m) + 'm'));
    }
    if (!names.length)
      g.append(svg('text', { x: L, y: 38 }, 'no transitions in the last hour'));
    names.forEach((name, row) => {
      const y = 20 + row * ROW, list = subjects.get(name);
      g.append(svg('text', { x: 0, y: y + 14 }, name.length > 24 ? name.slice(0, 23) + '…' : name));
      const changes = list.filter((e) => e.kind !== 'operator');
      // Nothing is known of the time before lvsd started.
      const born = state.status ? now - state.status.uptime_s * 1000 : start;
      let t0 = Math.max(start, born), cur = changes.length ? changes[0].from : null;
      for (const e of changes.concat([{ time_ms: now, to: null }])) {
        if (cur) {
          const seg = svg('rect', { x: x(t0), y: y + 3, width: Math.max(1, x(e.time_ms) - x(t0)), height: ROW - 8,
            class: 'seg-' + (['UP', 'DOWN', 'MASTER', 'BACKUP', 'FAULT', 'INIT'].includes(cur) ? cur : 'other') });
          seg.append(svg('title', {}, name + ': ' + cur));
          g.append(seg);
        }
        t0 = e.time_ms;
        cur = e.to;
      }
      for (const e of list.filter((e) => e.kind === 'operator')) {
        const cx = x(e.time_ms), cy = y + ROW / 2 - 1;
        const m = svg('path', { d: `M${cx} ${cy - 7} L${cx + 6} ${cy} L${cx} ${cy + 7} L${cx - 6} ${cy} Z`, class: 'mark-operator' });
        m.append(svg('title', {}, e.to + ' by ' + (e.actor || 'operator') + ' at ' + clock(e.time_ms)));
        g.append(m);
      }
    });
    for (const e of evs.filter((e) => e.kind === 'reload')) {
      const line = svg('line', { x1: x(e.time_ms), x2: x(e.time_ms), y1: 16, y2: H, class: 'mark-reload' });
      line.append(svg('title', {}, 'reload ' + e.to + ' at ' + clock(e.time_ms)));
      g.append(line);
    }
    box.replaceChildren(g);
  }

  function renderEvents() {
    const tb = $('events').tBodies[0];
    const list = state.events.slice(-100).reverse();
    tb.replaceChildren(...list.map((e) => {
      const tr = el('tr');
      const change = e.from || e.to ? (e.from ? e.from + ' → ' : '') + e.to : '';
      tr.append(el('td', '', clock(e.time_ms)), el('td', '', e.kind), el('td', '', e.subject),
        el('td', 'state-' + e.to, change), el('td', 'why', e.reason), el('td', '', e.actor || ''));
      return tr;
    }));
  }

  /* ---- session and actions ---------------------------------------------- */
  function renderSession() {
    document.body.classList.toggle('admin', !!session.user);
    show($('login-open'), session.admin && !session.user);
    show($('logout'), !!session.user);
    setText($('who'), session.user ? 'logged in as ' + session.user : '');
  }

  async function loadSession() {
    try { session = await getJSON('/api/v1/session'); } catch (e) { session = { admin: false }; }
    renderSession();
  }

  function wire() {
    $('login-open').addEventListener('click', () => { show($('login'), true); $('login-user').focus(); });
    $('login-cancel').addEventListener('click', () => show($('login'), false));
    $('login').addEventListener('submit', async (ev) => {
      ev.preventDefault();
      try {
        const j = await post('/api/v1/login', { user: $('login-user').value, password: $('login-password').value });
        session = { admin: true, user: j.user, csrf: j.csrf };
        $('login-password').value = '';
        setText($('login-error'), '');
        show($('login'), false);
        renderSession();
        if (state) render();
      } catch (e) { setText($('login-error'), e.message); }
    });
    $('logout').addEventListener('click', async () => {
      try { await post('/api/v1/logout', {}); } catch (e) { notice(e.message, true); }
      session = { admin: session.admin, user: null, csrf: null };
      renderSession();
      if (state) render();
    });
    $('servers').addEventListener('click', async (ev) => {
      const b = ev.target.closest('button[data-action]');
      if (!b) return;
      b.disabled = true;
      try {
        await post('/api/v1/action', { action: b.dataset.action, server: b.dataset.server });
        notice(b.dataset.server + ': ' + b.dataset.action + ' done');
      } catch (e) { notice(b.dataset.server + ': ' + b.dataset.action + ' refused: ' + e.message, true); }
      setTimeout(refresh, 300);
    });
    $('drill').addEventListener('click', async () => {
      if (!window.confirm('Release mastership now? The peer takes over the VIPs.')) return;
      try { await post('/api/v1/action', { action: 'failover' }); notice('failover drill started'); }
      catch (e) { notice('failover drill refused: ' + e.message, true); }
    });
    $('filter').addEventListener('input', () => state && renderTable());
    $('problems').addEventListener('change', () => state && renderTable());
    $('plot-service').addEventListener('change', (ev) => { plotService = ev.target.value; fetchPlots(true); });
  }

  function render() {
    renderHeader();
    renderDirector();
    renderPeer();
    renderVips();
    renderReload();
    renderTable();
    renderPlotChoice();
    renderTimeline();
    renderEvents();
    fetchPlots(false);
  }

  let timer = null;
  async function refresh() {
    clearTimeout(timer);
    try {
      state = await getJSON('/api/v1/state');
      render();
    } catch (e) {
      const b = $('banner');
      setText(b, 'cannot reach lvsd-web: ' + e.message);
      show(b, true);
    }
    timer = setTimeout(refresh, state ? state.web.refresh_ms : 3000);
  }

  wire();
  loadSession().then(refresh);
})();
