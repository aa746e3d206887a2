// Wharf dashboard: a hand-written page with no dependencies. It polls the API beside it
// (../api/ relative to /dashboard/, so api.basePath works) and re-renders when data change.
'use strict';

const API = new URL('../api/', document.baseURI).href;
const POLL_MS = 1500;
const state = { overview: null, entrypoints: [], raw: null, search: {}, signature: '', route: '' };

function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v);
  }
  for (const c of children.flat()) if (c !== undefined && c !== null && c !== false) el.append(c instanceof Node ? c : String(c));
  return el;
}

const pill = (status) => h('span', { class: `pill ${status}`, 'data-status': status }, status);
const link = (kind, name) => h('a', { href: `#/http/${kind}/${encodeURIComponent(name)}` }, name);
const tags = (list) => (list || []).map((x) => h('span', { class: 'tag' }, x));

async function getJson(path) {
  const res = await fetch(API + path, { cache: 'no-store' });
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
  return res.json();
}

async function poll() {
  try {
    const [overview, entrypoints, raw, providers] = await Promise.all([getJson('overview'), getJson('entrypoints'), getJson('rawdata'), getJson('providers')]);
    const signature = JSON.stringify([overview, entrypoints, raw, providers]);
    setLive(true);
    if (signature !== state.signature) {
      Object.assign(state, { overview, entrypoints, raw, providers, signature });
      render(false);
    }
  } catch (err) {
    setLive(false, err);
  } finally {
    setTimeout(poll, POLL_MS);
  }
}

function setLive(up, err) {
  const live = document.getElementById('live');
  live.classList.toggle('down', !up);
  document.getElementById('live-text').textContent = up ? 'live' : 'API unreachable';
  live.title = up ? `Refreshes every ${POLL_MS / 1000} s` : String(err && err.message);
}

function parseRoute() {
  const parts = location.hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  // Traefik's dashboard paths (`#/http/routers/<name>`), which its users bookmark; `#/routers` works too.
  if (parts[0] === 'http') parts.shift();
  return { kind: parts[0] || 'overview', name: parts[1] };
}

function render(navigated) {
  const route = parseRoute();
  for (const a of document.querySelectorAll('[data-nav]')) a.classList.toggle('active', a.dataset.nav === route.kind);
  const main = document.getElementById('main');
  if (!state.raw) {
    main.replaceChildren(h('div', { class: 'empty' }, 'Loading…'));
    return;
  }
  const key = `${route.kind}/${route.name || ''}`;
  // On a list, a data refresh only replaces the table so the search box keeps focus and text.
  if (!navigated && key === state.route && LISTS[route.kind] && !route.name) {
    renderTable(route.kind);
    return;
  }
  state.route = key;
  let view;
  if (route.kind === 'overview') view = overviewView();
  else if (LISTS[route.kind] && !route.name) view = listView(route.kind);
  else if (LISTS[route.kind]) view = detailView(route.kind, route.name);
  else view = h('div', { class: 'empty' }, 'Unknown page.');
  main.replaceChildren(view);
  if (LISTS[route.kind] && !route.name) renderTable(route.kind);
  document.title = `Wharf · ${route.name || route.kind}`;
}

function countsCard(title, kind, c) {
  const ok = c.total - c.warnings - c.errors;
  return h('a', { class: 'card', href: `#/http/${kind}`, 'data-testid': `count-${kind}` },
    h('h3', {}, title),
    h('div', { class: 'big' }, c.total),
    h('div', { class: 'counts' },
      h('span', { title: 'Success' }, h('i', { class: 'dot ok' }), ok, ' ok'),
      h('span', { title: 'Warnings', 'data-testid': `warnings-${kind}` }, h('i', { class: 'dot warn' }), c.warnings, ' warnings'),
      h('span', { title: 'Errors', 'data-testid': `errors-${kind}` }, h('i', { class: 'dot err' }), c.errors, ' errors')));
}

function overviewView() {
  const o = state.overview;
  const features = o.features || {};
  return h('section', {},
    h('h1', {}, 'Overview'),
    h('h2', {}, 'Entry points'),
    h('div', { class: 'grid' }, state.entrypoints.map((ep) =>
      h('div', { class: 'card', 'data-testid': 'entrypoint' }, h('h3', {}, ep.name), h('div', { class: 'mono' }, ep.boundAddress || ep.address)))),
    h('h2', {}, 'HTTP'),
    h('div', { class: 'grid' },
      countsCard('Routers', 'routers', o.http.routers),
      countsCard('Services', 'services', o.http.services),
      countsCard('Middlewares', 'middlewares', o.http.middlewares)),
    h('h2', {}, 'Features'),
    h('div', { class: 'grid' },
      h('div', { class: 'card' }, h('h3', {}, 'Metrics'), h('div', { class: 'sub' }, features.metrics || 'off')),
      h('div', { class: 'card' }, h('h3', {}, 'Access log'), h('div', { class: 'sub' }, features.accessLog ? 'on' : 'off')),
      h('div', { class: 'card' }, h('h3', {}, 'Tracing'), h('div', { class: 'sub' }, features.tracing || 'off'))),
    h('h2', {}, 'Providers'),
    providerNames(o).length ? h('div', { class: 'grid' }, providerNames(o).map(providerCard))
      : h('div', { class: 'empty' }, 'No provider has reported a configuration yet.'));
}

/** The providers that contributed (Traefik's capitalised names), and those whose every snapshot was rejected. */
function providerNames(o) {
  const names = [...o.providers];
  for (const p of state.providers || []) {
    if (!names.some((n) => n.toLowerCase() === p.name.toLowerCase())) names.push(p.name.charAt(0).toUpperCase() + p.name.slice(1));
  }
  return names;
}

/** A provider, and why its latest snapshot was rejected when it was (its previous one still serves). */
function providerCard(name) {
  const status = (state.providers || []).find((p) => p.name.toLowerCase() === name.toLowerCase());
  if (!status || status.status !== 'error') return h('div', { class: 'card', 'data-testid': 'provider' }, h('h3', {}, name));
  return h('div', { class: 'card', 'data-testid': 'provider' },
    h('h3', {}, name),
    h('div', { class: 'errors', 'data-testid': 'provider-error' },
      h('i', { class: 'dot err' }), ' latest configuration rejected, the previous one still serves: ', (status.error || []).join('; ')));
}

const LISTS = {
  routers: {
    title: 'HTTP Routers', source: () => state.raw.routers,
    columns: ['Status', 'Name', 'Rule', 'Entry points', 'Service', 'Provider', 'Priority'],
    searchable: (r) => [r.name, r.rule || '', r.service || ''],
    row: (r) => [pill(r.status), r.name, h('code', {}, r.rule || ''), tags(r.using), r.service || '', r.provider, r.priority],
  },
  services: {
    title: 'HTTP Services', source: () => state.raw.services,
    columns: ['Status', 'Name', 'Type', 'Servers', 'Provider'],
    searchable: (s) => [s.name, s.type || ''],
    row: (s) => [pill(s.status), s.name, s.type || '', serverCount(s), s.provider],
  },
  middlewares: {
    title: 'HTTP Middlewares', source: () => state.raw.middlewares,
    columns: ['Status', 'Name', 'Type', 'Provider'],
    searchable: (m) => [m.name, m.type],
    row: (m) => [pill(m.status), m.name, m.type, m.provider],
  },
};

function serverCount(s) {
  return s.loadBalancer && s.loadBalancer.servers ? s.loadBalancer.servers.length : s.serverStatus ? Object.keys(s.serverStatus).length : '';
}

function listView(kind) {
  const spec = LISTS[kind];
  const input = h('input', { type: 'search', placeholder: `Search ${kind}…`, 'aria-label': `Search ${kind}`, 'data-testid': 'search', value: state.search[kind] || '' });
  input.value = state.search[kind] || '';
  input.addEventListener('input', () => { state.search[kind] = input.value; renderTable(kind); });
  return h('section', {}, h('h1', {}, spec.title), h('div', { class: 'toolbar' }, input, h('span', { class: 'count', id: 'count' })), h('div', { id: 'list' }));
}

function renderTable(kind) {
  const spec = LISTS[kind];
  const needle = (state.search[kind] || '').toLowerCase();
  const items = Object.values(spec.source()).filter((x) => !needle || spec.searchable(x).some((t) => String(t).toLowerCase().includes(needle)))
    .sort((a, b) => a.name.localeCompare(b.name));
  const list = document.getElementById('list');
  if (!list) return;
  document.getElementById('count').textContent = `${items.length} ${kind}`;
  if (items.length === 0) {
    list.replaceChildren(h('div', { class: 'empty' }, needle ? 'Nothing matches the search.' : `No ${kind}.`));
    return;
  }
  const rows = items.map((x) => h('tr', { 'data-name': x.name, onclick: () => { location.hash = `#/http/${kind}/${encodeURIComponent(x.name)}`; } },
    spec.row(x).map((cell) => h('td', {}, cell))));
  list.replaceChildren(h('table', { 'data-testid': `${kind}-table` }, h('thead', {}, h('tr', {}, spec.columns.map((c) => h('th', {}, c)))), h('tbody', {}, rows)));
}

function errorBox(item) {
  if (!item.error || item.error.length === 0) return null;
  return h('div', { class: `errors ${item.status === 'warning' ? 'warning' : ''}`, 'data-testid': 'errors' },
    h('strong', {}, item.status === 'disabled' ? 'This element is disabled:' : 'Warning:'), h('ul', {}, item.error.map((e) => h('li', {}, e))));
}

function kv(pairs) {
  return h('dl', { class: 'kv' }, pairs.filter(([, v]) => v !== undefined && v !== '').flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
}

function servicePanel(service) {
  if (!service) return h('div', { class: 'card' }, h('h3', {}, 'Service'), h('div', { class: 'sub' }, 'Not found.'));
  const status = service.serverStatus || {};
  const servers = (service.loadBalancer && service.loadBalancer.servers) || [];
  const urls = servers.length ? servers.map((s) => s.url) : Object.keys(status);
  return h('div', { class: 'card', 'data-testid': 'service-panel' },
    h('h3', {}, 'Service ', link('services', service.name), ' ', pill(service.status)),
    kv([['Type', service.type || 'internal'], ['Provider', service.provider]]),
    urls.length ? h('table', { 'data-testid': 'servers', style: 'margin-top:12px' }, h('thead', {}, h('tr', {}, h('th', {}, 'Server'), h('th', {}, 'Status'))),
      h('tbody', {}, urls.map((u) => h('tr', { 'data-url': u }, h('td', { class: 'mono' }, u), h('td', {}, status[u] ? pill(status[u]) : h('span', { class: 'muted' }, '—')))))) : null,
    service.weighted ? h('div', {}, h('h3', { style: 'margin-top:12px' }, 'Weighted services'), (service.weighted.services || []).map((s) => h('div', {}, link('services', s.name), ` weight ${s.weight ?? 1}`))) : null);
}

function detailView(kind, name) {
  const item = LISTS[kind].source()[name];
  const back = h('a', { href: `#/http/${kind}` }, `← All ${kind}`);
  if (!item) return h('section', {}, back, h('div', { class: 'empty', 'data-testid': 'not-found' }, `${kind.slice(0, -1)} "${name}" not found.`));
  const header = h('h1', {}, `${name} `, pill(item.status));
  if (kind === 'routers') {
    const mws = (item.middlewares || []).map((m) => state.raw.middlewares[m] || { name: m, status: 'disabled', type: '?' });
    return h('section', {}, back, header, errorBox(item), h('div', { class: 'flow' },
      h('div', { class: 'card' }, h('h3', {}, 'Router'), kv([['Rule', h('code', {}, item.rule || '')], ['Entry points', tags(item.using)], ['Priority', String(item.priority)], ['Provider', item.provider], ['Rule syntax', item.ruleSyntax], ['TLS', item.tls ? 'yes' : '']])),
      h('div', { class: 'card', 'data-testid': 'middlewares-panel' }, h('h3', {}, 'Middlewares'),
        mws.length ? mws.map((m) => h('div', { style: 'margin:4px 0' }, link('middlewares', m.name), ' ', h('span', { class: 'tag' }, m.type), ' ', pill(m.status))) : h('div', { class: 'sub' }, 'None')),
      servicePanel(state.raw.services[item.service])));
  }
  if (kind === 'services') {
    return h('section', {}, back, header, errorBox(item), h('div', { class: 'flow' },
      servicePanel(item),
      h('div', { class: 'card' }, h('h3', {}, 'Used by'), usedBy(item.usedBy))),
      h('h2', {}, 'Configuration'), h('pre', {}, JSON.stringify(configOf(item), null, 2)));
  }
  return h('section', {}, back, header, errorBox(item), h('div', { class: 'flow' },
    h('div', { class: 'card' }, h('h3', {}, 'Middleware'), kv([['Type', item.type], ['Provider', item.provider]])),
    h('div', { class: 'card' }, h('h3', {}, 'Used by'), usedBy(item.usedBy))),
    h('h2', {}, 'Configuration'), h('pre', {}, JSON.stringify(configOf(item), null, 2)));
}

function usedBy(list) {
  return list && list.length ? list.map((r) => h('div', {}, state.raw.routers[r] ? link('routers', r) : r)) : h('div', { class: 'sub' }, 'Nobody');
}

function configOf(item) {
  const { name, provider, status, usedBy: _u, serverStatus, error, type, ...config } = item;
  return config;
}

async function showVersion() {
  try {
    const v = await getJson('version');
    document.getElementById('version').textContent = `Wharf ${v.Version} · started ${new Date(v.startDate).toLocaleString()}`;
  } catch { /* the live indicator already reports an unreachable API */ }
}

window.addEventListener('hashchange', () => render(true));
render(true);
poll();
showVersion();
