// The page-load view (/page-loads/{id}): summary, waterfall with markers, connections, visual
// progress, and the detail of a clicked object. A running load is followed live over its events.
import { getPageLoad, followPageLoad, cancelPageLoad, deletePageLoad, harBlob, listPageLoads } from './api.js';
import { h, ms, bytes, dateTime, idFromPath, scaleEnd, metric, hostOf, onWidthChange } from './format.js';
import { renderWaterfall, endOf, legend, KIND_LABELS } from './waterfall.js';
import { renderBreakdown } from './breakdown.js';
import { renderConnections } from './connections.js';
import { renderProgressChart } from './progress-chart.js';
import { renderObjectDetail } from './object-detail.js';

const id = idFromPath();
const state = { doc: null, selectedId: null, view: null, filter: {}, sort: 'id' };
const $ = (selector) => document.querySelector(selector);
// The detail panel is moved under the clicked row; it lives here while no row is selected.
const detailPanel = document.querySelector('#object-detail');
const detailHome = detailPanel.parentElement;
const detailNext = detailPanel.nextElementSibling;

function render() {
  const { doc } = state;
  document.title = `${doc.url} · page load ${doc.id} · FetchAgent`;
  document.body.dataset.status = doc.status;
  const scaleMs = scaleEnd(endOf(doc), doc.metrics?.actualMs ?? 0);
  renderHeading(doc);
  renderSummary(doc);
  renderRepeatView(doc);
  renderTools(doc);
  renderWaterfallOnly();
  $('#legend').replaceChildren(legend());
  renderBreakdown($('#breakdown'), doc);
  renderTimeViews();
  // The width the view was last laid out for (it lays out again when the width changes; tests wait for it).
  document.body.dataset.laidOutAt = String(window.innerWidth);
}

function renderWaterfallOnly() {
  const { doc } = state;
  const scaleMs = scaleEnd(endOf(doc), doc.metrics?.actualMs ?? 0);
  // A detail panel inside the old waterfall goes home before the waterfall is replaced.
  if (detailPanel.parentElement !== detailHome) detailHome.insertBefore(detailPanel, detailNext);
  const figure = renderWaterfall($('#waterfall'), doc, {
    scaleMs, view: state.view, onSelect: select, selectedId: state.selectedId, filter: state.filter, sort: state.sort,
    onZoom: zoom,
  });
  const shown = figure.querySelectorAll('[data-testid="waterfall-row"]').length;
  const total = (doc.objects ?? []).length;
  $('#wf-count').textContent = shown === total ? `${total} objects` : `${shown} of ${total} objects`;
  $('#wf-count').dataset.shown = shown;
  $('#wf-zoom').hidden = !state.view;
  if (state.view) $('#wf-zoom-range').textContent = `Zoomed: ${ms(state.view.from)} – ${ms(state.view.to)}`;
  placeDetail();
}

/** The views on the waterfall's time axis: the connection view and visual progress follow its zoom. */
function renderTimeViews() {
  const { doc } = state;
  const scaleMs = scaleEnd(endOf(doc), doc.metrics?.actualMs ?? 0);
  renderConnections($('#connections'), doc, { scaleMs, view: state.view, onSelect: select, onZoom: zoom });
  renderProgressChart($('#progress'), doc, { scaleMs, view: state.view });
}

/** A brush on either axis zooms every time view to it; a double-click (null) shows the whole load again. */
function zoom(view) {
  state.view = view;
  renderWaterfallOnly();
  renderTimeViews();
}

// The filters offer what the load has: its kinds and its hosts (host:port when not the default port).
function renderTools(doc) {
  const objects = doc.objects ?? [];
  const options = (select, values, label = (v) => v) => {
    const current = select.value;
    select.replaceChildren(h('option', { value: '' }, 'all'), ...values.map((v) => h('option', { value: v }, label(v))));
    select.value = values.includes(current) ? current : '';
  };
  options($('#wf-kind'), [...new Set(objects.map((o) => o.kind))].sort(), (k) => KIND_LABELS[k] ?? k);
  options($('#wf-host'), [...new Set(objects.map((o) => hostOf(o.url)))].sort());
}

function readTools() {
  const form = $('#waterfall-tools');
  const data = new FormData(form);
  state.filter = {
    kind: String(data.get('kind') ?? ''), host: String(data.get('host') ?? ''),
    status: String(data.get('status') ?? ''), text: String(data.get('text') ?? ''),
  };
  state.sort = String(data.get('sort') ?? 'id');
  renderWaterfallOnly();
}

/** Puts the open detail panel right under its object's row (or back home when the row is filtered out). */
function placeDetail() {
  if (state.selectedId === null || detailPanel.hidden) return;
  const row = document.querySelector(`[data-testid="waterfall-row"][data-object-id="${state.selectedId}"]`);
  if (row) row.after(detailPanel);
}

function renderHeading(doc) {
  $('#page-url').replaceChildren(h('a', { href: doc.url, rel: 'noreferrer noopener', target: '_blank' }, doc.url));
  const strategy = doc.options?.strategy ?? '–';
  $('#page-meta').replaceChildren(
    h('span', { class: `status status-${doc.status}`, 'data-testid': 'status' }, doc.status),
    doc.importedFrom
      ? h('span', { 'data-testid': 'imported-from' }, ` imported from a HAR by ${doc.importedFrom}`)
      : strategy === 'multiplexed'
        ? ` ${strategy}, one HTTP/2 connection per origin${(doc.connections ?? []).some((c) => c.protocol === 'http/1.1')
          ? ` (${doc.options?.maxConnectionsPerHost ?? '–'} per host where the server chose HTTP/1.1)` : ''}`
        : ` ${strategy}, ${doc.options?.maxConnectionsPerHost ?? '–'} per host`,
    ` · started ${dateTime(doc.startedAt)}`,
    doc.title ? ` · “${doc.title}”` : '',
    doc.finalUrl && doc.finalUrl !== doc.url ? ` · final URL ${doc.finalUrl}` : '',
    doc.error ? h('span', { class: 'page-error', role: 'alert' }, ` · ${doc.error}`) : '',
    doc.status === 'running' ? ' ' : '',
    doc.status === 'running' ? cancelButton() : '');
}

// DELETE of a running load cancels it: it is stored as cancelled with what it measured, and the events end with done.
function cancelButton() {
  const button = h('button', { type: 'button', class: 'cancel', 'data-testid': 'cancel' }, 'Cancel');
  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      state.doc = await cancelPageLoad(id);
      $('#live').hidden = true;
      render();
    } catch (error) {
      button.disabled = false;
      $('#live').textContent = `Could not cancel: ${error.message}`;
    }
  });
  return button;
}

function renderSummary(doc) {
  const m = doc.metrics ?? {};
  const running = doc.status === 'running';
  const objects = doc.objects ?? [];
  const item = (name, value, key, extra = '') => h('div', { class: `stat ${extra}`, 'data-summary': key }, h('dt', {}, name), h('dd', {}, value));
  $('#summary').replaceChildren(...noisyNeighbours(doc.concurrentLoads), h('dl', { class: 'stats' },
    item('Perceived (Speed Index)', metric(m.perceivedMs, doc.status), 'perceived', 'stat-perceived'),
    item('Actual (onLoad)', metric(m.actualMs, doc.status), 'actual', 'stat-actual'),
    item('Start render', metric(m.startRenderMs, doc.status), 'start-render'),
    item('TTFB', metric(m.ttfbMs, doc.status), 'ttfb'),
    item('Objects', running ? `${objects.length} so far` : m.objectCount, 'objects'),
    item('Failed', objects.filter((o) => o.error).length, 'failed'),
    item('Connections', running ? '…' : m.connectionCount, 'connections'),
    item('Reused requests', running ? objects.filter((o) => o.reusedConnection).length : m.reusedRequests, 'reused'),
    item('Retried requests', running ? objects.filter((o) => o.retries > 0).length : m.retriedRequests, 'retried'),
    item('Bytes', bytes(running ? objects.reduce((sum, o) => sum + (o.bodyBytes ?? 0), 0) : m.bytes), 'bytes'),
    item('Strategy', doc.options?.strategy ?? '–', 'strategy')));
}

/** Issue 15: with a repeat view, the two views' figures side by side and the repeat view's waterfall. */
function renderRepeatView(doc) {
  const card = $('#repeat-card');
  const repeat = doc.repeatView;
  card.hidden = !repeat;
  if (!repeat) return;
  const views = [doc, repeat];
  const count = (d, test) => (d.objects ?? []).filter(test).length;
  const rows = [
    ['Perceived (Speed Index)', (d) => metric(d.metrics?.perceivedMs, d.status)],
    ['Actual (onLoad)', (d) => metric(d.metrics?.actualMs, d.status)],
    ['Start render', (d) => metric(d.metrics?.startRenderMs, d.status)],
    ['Objects', (d) => d.metrics?.objectCount ?? (d.objects ?? []).length],
    ['From cache', (d) => count(d, (o) => o.fromCache)],
    ['Revalidated (304)', (d) => count(d, (o) => o.revalidated)],
    ['Connections', (d) => d.metrics?.connectionCount ?? 0],
    ['Bytes', (d) => bytes(d.metrics?.bytes ?? 0)],
  ];
  $('#repeat-compare').replaceChildren(h('table', { class: 'repeat-compare', 'data-testid': 'repeat-compare' },
    h('thead', {}, h('tr', {}, h('th', {}, ''), h('th', {}, 'First view'), h('th', {}, 'Repeat view'))),
    h('tbody', {}, ...rows.map(([name, value]) => h('tr', {}, h('th', {}, name), ...views.map((d) => h('td', {}, String(value(d)))))))));
  const figure = renderWaterfall($('#repeat-waterfall'), repeat, {
    scaleMs: scaleEnd(endOf(repeat), repeat.metrics?.actualMs ?? 0), onSelect: (object) => selectRepeat(object, repeat), title: 'Repeat view waterfall',
  });
  // Its own test ids, so the first view's waterfall stays the one "waterfall" of the page.
  figure.dataset.testid = 'repeat-waterfall';
  figure.querySelectorAll('[data-testid="waterfall-row"]').forEach((row) => { row.dataset.testid = 'repeat-waterfall-row'; });
  figure.querySelectorAll('[data-testid="waterfall-axis"]').forEach((axis) => { axis.dataset.testid = 'repeat-waterfall-axis'; });
  // Its connections: new ones, or with --keep-connections the first view's, continued (each says which).
  renderConnections($('#repeat-connections'), repeat, {
    scaleMs: scaleEnd(endOf(repeat), repeat.metrics?.actualMs ?? 0), onSelect: (object) => selectRepeat(object, repeat),
  });
}

// A load that shared the daemon with others had its phases stretched by their CPU work: say so
// before anyone reads the numbers (the document's concurrentLoads, 0 when it ran alone).
function noisyNeighbours(others) {
  if (!(others > 0)) return [];
  return [h('p', { class: 'noisy-neighbours', role: 'note', 'data-testid': 'concurrent-loads' },
    `This load ran alongside ${others} other load${others === 1 ? '' : 's'}: they shared the CPU, so its phases may be longer than the network's.`)];
}

function select(object) {
  state.selectedId = object.id;
  const connection = (state.doc.connections ?? []).find((c) => c.id === object.connectionId);
  renderObjectDetail(detailPanel, object, connection, { onClose: closeDetail });
  placeDetail();
  detailPanel.scrollIntoView({ block: 'nearest' });
  for (const row of document.querySelectorAll('[data-testid="waterfall-row"]')) {
    const selected = Number(row.dataset.objectId) === object.id;
    row.classList.toggle('selected', selected);
    row.querySelector('.wf-label').setAttribute('aria-pressed', selected ? 'true' : 'false');
  }
}

// A repeat view's object: its detail under its row, with the repeat view's connection (ids are the view's own).
function selectRepeat(object, repeat) {
  closeDetail();
  const connection = (repeat.connections ?? []).find((c) => c.id === object.connectionId);
  renderObjectDetail(detailPanel, object, connection, { onClose: closeDetail, view: 'repeat view' });
  document.querySelector(`[data-testid="repeat-waterfall-row"][data-object-id="${object.id}"]`)?.after(detailPanel);
  detailPanel.scrollIntoView({ block: 'nearest' });
}

function closeDetail() {
  state.selectedId = null;
  detailPanel.hidden = true;
  if (detailPanel.parentElement !== detailHome) detailHome.insertBefore(detailPanel, detailNext);
  for (const row of document.querySelectorAll('[data-testid="waterfall-row"].selected')) row.classList.remove('selected');
}

function followLive() {
  $('#live').hidden = false;
  // Says the view was opened while the load ran and followed its events (tests read it).
  document.body.dataset.followedLive = 'true';
  followPageLoad(id, {
    onObject(record) {
      if (state.doc.status !== 'running') return;
      const objects = state.doc.objects.filter((o) => o.id !== record.id);
      state.doc = { ...state.doc, objects: [...objects, record] };
      render();
    },
    async onDone() {
      state.doc = await getPageLoad(id);
      $('#live').hidden = true;
      render();
    },
    onError() {
      $('#live').textContent = 'Lost the live stream; reload the page to see the result.';
    },
  });
}

function wireActions() {
  for (const control of $('#waterfall-tools').elements) control.addEventListener(control.type === 'search' ? 'input' : 'change', readTools);
  $('#waterfall-tools').addEventListener('submit', (event) => event.preventDefault());
  $('#wf-zoom-reset').addEventListener('click', () => zoom(null));
  $('#trends-link').href = `/trends?${new URLSearchParams({ url: state.doc.url })}`;
  $('#download-har').addEventListener('click', async () => {
    try {
      const blob = await harBlob(id);
      const link = h('a', { href: URL.createObjectURL(blob), download: `page-load-${id}.har` });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
    } catch (error) {
      $('#action-status').textContent = `Could not download the HAR: ${error.message}`;
    }
  });
  $('#delete').addEventListener('click', async () => {
    if (!window.confirm(`Delete page load ${id} (${state.doc.url})? This cannot be undone.`)) return;
    try {
      await deletePageLoad(id);
      window.location.assign(`/?deleted=${id}`);
    } catch (error) {
      $('#action-status').textContent = error.status === 409 ? 'It is still running: delete it when it is done.' : `Could not delete: ${error.message}`;
    }
  });
}

// An imported HAR sits next to FetchAgent's own loads of the same URL, and the other way round: links to each.
async function showRelated() {
  try {
    const { items } = await listPageLoads({ url: state.doc.url, limit: 20 });
    const others = items.filter((i) => i.id !== state.doc.id && (state.doc.importedFrom ? !i.importedFrom : true));
    const imported = others.filter((i) => i.importedFrom);
    const own = others.filter((i) => !i.importedFrom);
    const link = (i) => h('a', { href: `/page-loads/${i.id}`, 'data-testid': 'related-load', dataset: { pageLoadId: i.id } },
      i.importedFrom ? `HAR #${i.id} (${i.importedFrom})` : `#${i.id} ${i.strategy}`);
    const parts = [];
    if (imported.length) parts.push('Imported HARs of this URL: ', ...imported.flatMap((i, n) => [n ? ', ' : '', link(i)]));
    if (own.length) parts.push(parts.length ? ' · ' : '', state.doc.importedFrom ? 'FetchAgent loads of this URL: ' : 'Other loads of this URL: ', ...own.slice(0, 6).flatMap((i, n) => [n ? ', ' : '', link(i)]));
    $('#related').replaceChildren(...parts);
    $('#related').hidden = parts.length === 0;
  } catch {
    // A list that cannot be read leaves the links out; the load itself is shown.
  }
}

async function main() {
  if (id === null) {
    $('#load-error').textContent = 'No page-load id in this address.';
    $('#load-error').hidden = false;
    return;
  }
  try {
    state.doc = await getPageLoad(id);
  } catch (error) {
    $('#load-error').textContent = error.status === 404 ? `There is no page load ${id}.` : `Could not read page load ${id}: ${error.message}`;
    $('#load-error').hidden = false;
    $('#content').hidden = true;
    return;
  }
  state.doc.objects ??= [];
  render();
  wireActions();
  showRelated();
  if (state.doc.status === 'running') followLive();
  // /page-loads/17#object-3 (the comparison view links rows so) opens that object's detail.
  const linked = /^#object-(\d+)$/.exec(window.location.hash);
  const object = linked && state.doc.objects.find((o) => o.id === Number(linked[1]));
  if (object) select(object);
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') closeDetail();
  });
  onWidthChange(render, 150);
}

main();
