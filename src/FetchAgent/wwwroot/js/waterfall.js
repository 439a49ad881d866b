// The waterfall: one row per object on a shared time axis, each bar split into its phases in the
// order they happen (HAR 1.2 timings; `ssl` is inside `connect`, so connect is drawn without it; so is `proxy`,
// the CONNECT exchange with a proxy, DevTools' "proxy negotiation", between TCP and TLS).
// The axis can show a window of the load (zoom: brush the axis, double-click to reset), and the rows
// can be filtered (kind, host, status, URL text) and sorted (start, duration, size).
import { h, ms, bytes, tickStep, discovery, objectName, hostOf } from './format.js';

export const PHASES = [
  { name: 'blocked', label: 'Blocked (queued)' },
  { name: 'dns', label: 'DNS' },
  { name: 'connect', label: 'Connect' },
  { name: 'proxy', label: 'Proxy negotiation (CONNECT)' },
  { name: 'ssl', label: 'TLS' },
  { name: 'send', label: 'Send' },
  { name: 'wait', label: 'Wait (TTFB)' },
  { name: 'receive', label: 'Receive' },
];

export const KIND_LABELS = { document: 'html', stylesheet: 'css', script: 'js', image: 'img', font: 'font', media: 'media', iframe: 'frame', other: 'other' };

/** The phases of one object as drawn: [{ name, start, duration }], only those that happened. */
export function phasesOf(object) {
  const t = object.timings ?? {};
  const ssl = t.ssl > 0 ? t.ssl : 0;
  const proxy = t.proxy > 0 ? t.proxy : 0;
  const durations = {
    blocked: t.blocked, dns: t.dns, connect: t.connect > 0 ? t.connect - proxy - ssl : 0, proxy, ssl,
    send: t.send, wait: t.wait, receive: t.receive,
  };
  const result = [];
  let at = object.startMs ?? 0;
  for (const { name } of PHASES) {
    const duration = durations[name];
    if (duration > 0) {
      result.push({ name, start: at, duration });
      at += duration;
    }
  }
  return result;
}

/** The page's markers: key (for data-marker), label, time. Only once the load is done, and only those it has. */
export function markersOf(doc) {
  const m = doc.metrics;
  if (!m || doc.status === 'running') return [];
  const failed = doc.status === 'failed';
  return [
    { key: 'ttfb', label: 'TTFB', ms: m.ttfbMs },
    { key: 'start-render', label: 'Start render', ms: m.startRenderMs },
    { key: 'dom-content-loaded', label: 'DOMContentLoaded', ms: m.domContentLoadedMs },
    { key: 'speed-index', label: 'Speed Index (perceived)', ms: m.speedIndexMs },
    { key: 'on-load', label: 'onLoad (actual)', ms: m.onLoadMs },
  ].filter((marker) => !(failed && !(marker.ms > 0)));
}

/** The latest time a page-load document draws at: its last object or its last marker. */
export function endOf(doc) {
  const ends = (doc.objects ?? []).map((o) => o.endMs ?? 0);
  return Math.max(0, ...ends, ...markersOf(doc).map((m) => m.ms ?? 0));
}

/** A time window [from, to] in ms, and where a time falls in it (percent of the track, clamped). */
export function timeWindow(from, to) {
  const span = Math.max(to - from, 1e-6);
  const at = (t) => Math.min(100, Math.max(0, ((t - from) / span) * 100));
  return {
    from, to, span, at,
    contains: (t) => t >= from && t <= to,
    /** left and width (percent) of [start, end] inside the window; null when it lies wholly outside. */
    place(start, end) {
      if (end < from || start > to) return null;
      const left = at(start);
      return { left: `${left}%`, width: `${at(end) - left}%` };
    },
  };
}

function asWindow(scale) {
  return typeof scale === 'number' ? timeWindow(0, scale) : scale;
}

/** A time axis: tick labels positioned in percent of the window. */
export function axis(scale, className = 'axis') {
  const w = asWindow(scale);
  const step = tickStep(w.span);
  const ticks = [];
  for (let t = Math.ceil(w.from / step) * step; t <= w.to + 1e-9; t += step) {
    ticks.push(h('span', { class: `tick${t === w.from ? ' first' : ''}`, style: { left: `${w.at(t)}%` } }, ms(t)));
  }
  return h('div', { class: className, 'aria-hidden': 'true' }, ticks);
}

/** The status class an object's row filter uses: 2xx, 3xx, 4xx, 5xx or failed. */
export function statusGroup(object) {
  if (object.error || !object.status) return 'failed';
  return `${Math.floor(object.status / 100)}xx`;
}

/** What the filters and the sort leave of `objects`, in the order drawn. */
export function visibleObjects(objects, { filter = {}, sort = 'start' } = {}) {
  const text = (filter.text ?? '').trim().toLowerCase();
  const kept = objects.filter((o) => (!filter.kind || o.kind === filter.kind)
    && (!filter.host || hostOf(o.url) === filter.host)
    && (!filter.status || statusGroup(o) === filter.status)
    && (!text || o.url.toLowerCase().includes(text)));
  const by = {
    start: (a, b) => (a.startMs ?? 0) - (b.startMs ?? 0) || a.id - b.id,
    duration: (a, b) => (b.time ?? 0) - (a.time ?? 0) || a.id - b.id,
    size: (a, b) => (b.bodyBytes ?? 0) - (a.bodyBytes ?? 0) || a.id - b.id,
    id: (a, b) => a.id - b.id,
  }[sort] ?? ((a, b) => a.id - b.id);
  return kept.sort(by);
}

/**
 * Draws the waterfall of `doc` into `container` on a scale of `scaleMs` (or the zoomed `view`, { from, to }).
 * onSelect(object) is called when a row is clicked (or chosen with the keyboard); onZoom({ from, to } | null)
 * when the axis is brushed or double-clicked (no zoom without it). `filter` and `sort` pick and order the rows.
 */
export function renderWaterfall(container, doc, {
  scaleMs, view = null, onSelect, onZoom = null, selectedId = null, title = 'Waterfall', filter = {}, sort = 'id',
}) {
  const all = doc.objects ?? [];
  const objects = visibleObjects(all, { filter, sort });
  const w = view ? timeWindow(view.from, view.to) : timeWindow(0, scaleMs);
  const markers = markersOf(doc).filter((m) => w.contains(m.ms));
  const rows = objects.map((object) => row(object, w, onSelect, object.id === selectedId));
  const scale = h('div', { class: `wf-scale${onZoom ? ' brushable' : ''}`, 'data-testid': 'waterfall-axis', dataset: { from: w.from, to: w.to } },
    markerLabels(markers, w), axis(w));
  const figure = h('figure', { class: 'waterfall', 'data-testid': 'waterfall', dataset: { pageLoadId: doc.id, from: w.from, to: w.to } },
    h('figcaption', { class: 'visually-hidden' }, `${title}: ${objects.length} of ${all.length} objects, ${ms(w.from)} to ${ms(w.to)}`),
    h('div', { class: 'wf-head' },
      h('div', { class: 'wf-label-head' }, h('span', {}, 'Name'), h('span', { class: 'muted' }, ' host')),
      scale),
    h('div', { class: 'wf-body', role: 'list' },
      // Grid lines under the bars, markers over them.
      h('div', { class: 'wf-overlay wf-grid', 'aria-hidden': 'true' }, gridLines(w)),
      rows,
      rows.length === 0 ? h('p', { class: 'empty' }, doc.status === 'running' && all.length === 0 ? 'Waiting for the first object…' : all.length ? 'No object matches the filters.' : 'No objects.') : null,
      h('div', { class: 'wf-overlay', 'aria-hidden': 'true' }, markerLines(markers, w))));
  container.replaceChildren(figure);
  stackMarkerLabels(figure);
  layoutNotes(figure);
  if (onZoom) brush(figure, scale, w, onZoom);
  return figure;
}

function row(object, w, onSelect, selected) {
  const failed = Boolean(object.error);
  const segments = [];
  for (const p of phasesOf(object)) {
    const placed = w.place(p.start, p.start + p.duration);
    if (!placed) continue;
    segments.push(h('span', {
      class: `seg phase-${p.name}`, 'data-phase': p.name, style: placed, title: `${p.name} ${ms(p.duration)}`,
    }));
  }
  const barEnd = object.endMs ?? object.startMs ?? 0;
  if (failed && phasesOf(object).length === 0 && w.contains(object.startMs ?? 0)) {
    segments.push(h('span', { class: 'seg seg-failed', 'data-phase': 'failed', style: { left: `${w.at(object.startMs ?? 0)}%` } }));
  }
  // FetchAgent's own discovery after the last byte: a thin hatched mark right after the bar, not a network phase.
  const parse = discovery(object.discoveryMs);
  const parsePlaced = parse ? w.place(barEnd, barEnd + object.discoveryMs) : null;
  if (parsePlaced) {
    segments.push(h('span', {
      class: 'seg seg-discovery', 'data-discovery': String(object.discoveryMs), 'data-testid': 'discovery-mark', style: parsePlaced,
      title: `${parse}: FetchAgent reading this ${object.kind === 'stylesheet' ? 'stylesheet' : 'document'} for references after its last byte`,
    }));
  }
  // Zoomed so that the whole bar is outside the window: the label says on which side it is.
  const before = segments.length === 0 && barEnd < w.from;
  const after = segments.length === 0 && (object.startMs ?? 0) > w.to;
  // Placed beside the bar (right of it, else left of it, else under it) by layoutNotes, once it can be measured.
  const note = h('span', {
    class: `wf-note${failed ? ' wf-error' : ''}${before || after ? ' outside' : ''}`, 'data-testid': failed ? 'object-error' : 'object-note',
  }, before ? '◂ ' : null, failed ? object.error : [`${ms(object.time)} · ${bytes(object.bodyBytes)}`, parse ? ` · ${parse}` : null], after ? ' ▸' : null);
  const name = objectName(object.url);
  const label = h('button', {
    type: 'button', class: 'wf-label', title: object.url, 'aria-pressed': selected ? 'true' : 'false',
    onclick: () => onSelect?.(object),
  },
  h('span', { class: 'wf-id' }, object.id),
  h('span', { class: `wf-kind kind-${object.kind}` }, KIND_LABELS[object.kind] ?? object.kind),
  h('span', { class: `wf-status${statusClass(object)}` }, object.status ?? '!'),
  h('span', { class: 'wf-url', 'data-testid': 'object-name' }, h('span', { class: 'wf-name' }, name.name), h('span', { class: 'wf-host' }, name.host)));
  return h('div', {
    role: 'listitem',
    class: `wf-row${failed ? ' failed' : ''}${selected ? ' selected' : ''}${object.reusedConnection ? ' reused' : ''}`,
    'data-testid': 'waterfall-row', dataset: { objectId: object.id, failed: failed ? 'true' : 'false' },
    title: failed ? `${object.url}\n${object.error}` : `${object.url}\n${ms(object.time)} on connection ${object.connectionId ?? '–'}`,
  },
  label,
  h('div', { class: 'wf-track', onclick: () => onSelect?.(object) }, segments, note));
}

/**
 * Puts each row's duration label where it covers no bar: right of the bar when it fits, else left of it, else
 * under it (the row grows). Call again when a hidden waterfall is shown.
 */
export function layoutNotes(figure) {
  for (const track of figure.querySelectorAll('.wf-row .wf-track')) {
    const note = track.querySelector('.wf-note');
    if (!note) continue;
    const width = track.clientWidth;
    if (width === 0) continue;
    const box = track.getBoundingClientRect();
    const bars = [...track.querySelectorAll('.seg')].map((s) => s.getBoundingClientRect());
    const left = bars.length ? Math.min(...bars.map((b) => b.left)) - box.left : 0;
    const right = bars.length ? Math.max(...bars.map((b) => b.right)) - box.left : 0;
    const noteWidth = note.getBoundingClientRect().width;
    const row = track.parentElement;
    row.classList.remove('note-below');
    note.style.right = '';
    if (note.classList.contains('outside')) {
      // Nothing of the bar is drawn: the label sits at the edge it is beyond.
      note.style.left = `${bars.length || !note.textContent.endsWith('▸') ? 4 : Math.max(0, width - noteWidth - 4)}px`;
      note.dataset.side = 'outside';
    } else if (right + 6 + noteWidth <= width) {
      note.style.left = `${right + 6}px`;
      note.dataset.side = 'right';
    } else if (left - 6 - noteWidth >= 0) {
      note.style.left = `${left - 6 - noteWidth}px`;
      note.dataset.side = 'left';
    } else {
      row.classList.add('note-below');
      note.style.left = `${Math.max(0, Math.min(left, width - noteWidth))}px`;
      note.dataset.side = 'below';
    }
  }
}

/** Zoom by brushing the axis (drag across it); a double-click anywhere on the time columns resets. */
export function brush(figure, scale, w, onZoom) {
  let start = null;
  const band = h('span', { class: 'brush', hidden: true });
  scale.append(band);
  const timeAt = (clientX) => {
    const box = scale.getBoundingClientRect();
    const fraction = Math.min(1, Math.max(0, (clientX - box.left) / box.width));
    return { x: fraction * box.width, t: w.from + fraction * w.span };
  };
  scale.addEventListener('pointerdown', (event) => {
    if (event.button !== 0) return;
    start = timeAt(event.clientX);
    // A pointer the browser does not know as active (a synthetic event) cannot be captured; the brush works without.
    try { scale.setPointerCapture?.(event.pointerId); } catch { /* not an active pointer */ }
    band.hidden = false;
    Object.assign(band.style, { left: `${start.x}px`, width: '0px' });
    event.preventDefault();
  });
  scale.addEventListener('pointermove', (event) => {
    if (!start) return;
    const at = timeAt(event.clientX);
    Object.assign(band.style, { left: `${Math.min(start.x, at.x)}px`, width: `${Math.abs(at.x - start.x)}px` });
  });
  scale.addEventListener('pointerup', (event) => {
    if (!start) return;
    const end = timeAt(event.clientX);
    const from = Math.min(start.t, end.t);
    const to = Math.max(start.t, end.t);
    const wide = Math.abs(end.x - start.x) >= 4;
    start = null;
    band.hidden = true;
    if (wide) onZoom({ from, to });
  });
  const reset = (event) => {
    event.preventDefault();
    onZoom(null);
  };
  scale.addEventListener('dblclick', reset);
  figure.querySelector('.wf-body').addEventListener('dblclick', (event) => {
    if (event.target.closest('.wf-track')) reset(event);
  });
}

function statusClass(object) {
  if (object.error || !object.status) return ' bad';
  if (object.status >= 400) return ' bad';
  if (object.status >= 300) return ' redirect';
  return '';
}

function gridLines(w) {
  const step = tickStep(w.span);
  const lines = [];
  for (let t = Math.ceil(w.from / step) * step; t <= w.to + 1e-9; t += step) {
    if (t > w.from) lines.push(h('span', { class: 'grid-line', style: { left: `${w.at(t)}%` } }));
  }
  return lines;
}

function markerLines(markers, w) {
  return markers.map((m) => h('span', {
    class: `marker marker-${m.key}`, 'data-marker': m.key, 'data-ms': m.ms,
    style: { left: `${w.at(m.ms)}%` }, title: `${m.label} ${ms(m.ms)}`,
  }));
}

// Labels above the axis; stackMarkerLabels moves them into lanes once they can be measured.
function markerLabels(markers, w) {
  const labels = [...markers].sort((a, b) => a.ms - b.ms).map((m) => {
    const at = w.at(m.ms);
    const alignRight = at > 70;
    return h('span', {
      class: `marker-label marker-${m.key}${alignRight ? ' right' : ''}`, 'data-marker-label': m.key,
      style: alignRight ? { right: `${100 - at}%` } : { left: `${at}%` },
    }, `${m.label} ${ms(m.ms)}`);
  });
  return h('div', { class: 'marker-labels' }, labels);
}

/** Puts each marker label in the first lane where it overlaps no other, so close markers stay readable. */
export function stackMarkerLabels(figure) {
  const box = figure.querySelector('.marker-labels');
  if (!box) return;
  const lanes = [];
  for (const label of [...box.children].sort((a, b) => a.getBoundingClientRect().left - b.getBoundingClientRect().left)) {
    const { left, right } = label.getBoundingClientRect();
    let lane = lanes.findIndex((taken) => taken.every(([l, r]) => right + 8 <= l || left >= r + 8));
    if (lane < 0) lane = lanes.push([]) - 1;
    lanes[lane].push([left, right]);
    label.style.top = `${lane * 1.35}em`;
  }
  box.style.height = `${Math.max(1, lanes.length) * 1.35}em`;
}

/** The phase colour key, for the legend under a waterfall. */
export function legend() {
  return h('ul', { class: 'legend', 'aria-label': 'Phase colours' },
    PHASES.map((p) => h('li', {}, h('span', { class: `swatch phase-${p.name}` }), p.label)),
    h('li', {}, h('span', { class: 'swatch seg-discovery' }), "Parse (FetchAgent's discovery)"),
    h('li', {}, h('span', { class: 'swatch seg-failed' }), 'Failed'));
}
