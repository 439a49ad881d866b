// The page-load view (/page-loads/{id}): summary, waterfall with markers, connections, visual
// progress, and the detail of a clicked object. A running load is followed live over its events.
import { getPageLoad, followPageLoad, cancelPageLoad } from './api.js';
import { h, ms, bytes, dateTime, idFromPath, scaleEnd } from './format.js';
import { renderWaterfall, endOf, legend } from './waterfall.js';
import { renderConnections } from './connections.js';
import { renderProgressChart } from './progress-chart.js';
import { renderObjectDetail } from './object-detail.js';

const id = idFromPath();
const state = { doc: null, selectedId: null };
const $ = (selector) => document.querySelector(selector);

function render() {
  const { doc } = state;
  document.title = `${doc.url} · page load ${doc.id} · FetchAgent`;
  document.body.dataset.status = doc.status;
  const scaleMs = scaleEnd(endOf(doc), doc.metrics?.actualMs ?? 0);
  renderHeading(doc);
  renderSummary(doc);
  renderWaterfall($('#waterfall'), doc, { scaleMs, onSelect: select, selectedId: state.selectedId });
  $('#legend').replaceChildren(legend());
  renderConnections($('#connections'), doc, { scaleMs, onSelect: select });
  renderProgressChart($('#progress'), doc, { scaleMs });
}

function renderHeading(doc) {
  $('#page-url').replaceChildren(h('a', { href: doc.url, rel: 'noreferrer noopener', target: '_blank' }, doc.url));
  const strategy = doc.options?.strategy ?? '–';
  $('#page-meta').replaceChildren(
    h('span', { class: `status status-${doc.status}`, 'data-testid': 'status' }, doc.status),
    ` ${strategy}, ${doc.options?.maxConnectionsPerHost ?? '–'} per host · started ${dateTime(doc.startedAt)}`,
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
    item('Perceived (Speed Index)', running ? '…' : ms(m.perceivedMs), 'perceived', 'stat-perceived'),
    item('Actual (onLoad)', running ? '…' : ms(m.actualMs), 'actual', 'stat-actual'),
    item('Start render', running ? '…' : ms(m.startRenderMs), 'start-render'),
    item('Objects', running ? `${objects.length} so far` : m.objectCount, 'objects'),
    item('Failed', objects.filter((o) => o.error).length, 'failed'),
    item('Connections', running ? '…' : m.connectionCount, 'connections'),
    item('Reused requests', running ? objects.filter((o) => o.reusedConnection).length : m.reusedRequests, 'reused'),
    item('Retried requests', running ? objects.filter((o) => o.retries > 0).length : m.retriedRequests, 'retried'),
    item('Bytes', bytes(running ? objects.reduce((sum, o) => sum + (o.bodyBytes ?? 0), 0) : m.bytes), 'bytes'),
    item('Strategy', doc.options?.strategy ?? '–', 'strategy')));
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
  renderObjectDetail($('#object-detail'), object, connection, { onClose: closeDetail });
  $('#object-detail').scrollIntoView({ block: 'nearest', behavior: 'smooth' });
  for (const row of document.querySelectorAll('[data-testid="waterfall-row"]')) {
    const selected = Number(row.dataset.objectId) === object.id;
    row.classList.toggle('selected', selected);
    row.querySelector('.wf-label').setAttribute('aria-pressed', selected ? 'true' : 'false');
  }
}

function closeDetail() {
  state.selectedId = null;
  $('#object-detail').hidden = true;
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
  if (state.doc.status === 'running') followLive();
  // /page-loads/17#object-3 (the comparison view links rows so) opens that object's detail.
  const linked = /^#object-(\d+)$/.exec(window.location.hash);
  const object = linked && state.doc.objects.find((o) => o.id === Number(linked[1]));
  if (object) select(object);
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') closeDetail();
  });
  let resizeTimer;
  window.addEventListener('resize', () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(render, 150);
  });
}

main();
