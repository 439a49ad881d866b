// The waterfall: one row per object on a shared time axis, each bar split into its phases in the
// order they happen (HAR 1.2 timings; `ssl` is inside `connect`, so connect is drawn without it).
import { h, ms, bytes, pct, shortUrl, tickStep, discovery } from './format.js';

export const PHASES = [
  { name: 'blocked', label: 'Blocked (queued)' },
  { name: 'dns', label: 'DNS' },
  { name: 'connect', label: 'Connect' },
  { name: 'ssl', label: 'TLS' },
  { name: 'send', label: 'Send' },
  { name: 'wait', label: 'Wait (TTFB)' },
  { name: 'receive', label: 'Receive' },
];

const KIND_LABELS = { document: 'html', stylesheet: 'css', script: 'js', image: 'img', font: 'font', media: 'media', iframe: 'frame', other: 'other' };

/** The phases of one object as drawn: [{ name, start, duration }], only those that happened. */
export function phasesOf(object) {
  const t = object.timings ?? {};
  const ssl = t.ssl > 0 ? t.ssl : 0;
  const durations = {
    blocked: t.blocked, dns: t.dns, connect: t.connect > 0 ? t.connect - ssl : 0, ssl,
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

/** The page's markers: key (for data-marker), label, time. Only once the load is done. */
export function markersOf(doc) {
  const m = doc.metrics;
  if (!m || doc.status === 'running') return [];
  return [
    { key: 'ttfb', label: 'TTFB', ms: m.ttfbMs },
    { key: 'start-render', label: 'Start render', ms: m.startRenderMs },
    { key: 'dom-content-loaded', label: 'DOMContentLoaded', ms: m.domContentLoadedMs },
    { key: 'speed-index', label: 'Speed Index (perceived)', ms: m.speedIndexMs },
    { key: 'on-load', label: 'onLoad (actual)', ms: m.onLoadMs },
  ];
}

/** The latest time a page-load document draws at: its last object or its last marker. */
export function endOf(doc) {
  const ends = (doc.objects ?? []).map((o) => o.endMs ?? 0);
  return Math.max(0, ...ends, ...markersOf(doc).map((m) => m.ms ?? 0));
}

/** A time axis: tick labels positioned in percent of the scale. */
export function axis(scaleMs, className = 'axis') {
  const step = tickStep(scaleMs);
  const ticks = [];
  for (let t = 0; t <= scaleMs; t += step) {
    ticks.push(h('span', { class: 'tick', style: { left: pct(t, scaleMs) } }, ms(t)));
  }
  return h('div', { class: className, 'aria-hidden': 'true' }, ticks);
}

/**
 * Draws the waterfall of `doc` into `container` on a scale of `scaleMs`.
 * onSelect(object) is called when a row is clicked (or chosen with the keyboard).
 */
export function renderWaterfall(container, doc, { scaleMs, onSelect, selectedId = null, title = 'Waterfall' }) {
  const objects = [...(doc.objects ?? [])].sort((a, b) => a.id - b.id);
  const markers = markersOf(doc);
  const rows = objects.map((object) => row(object, doc, scaleMs, onSelect, object.id === selectedId));
  const figure = h('figure', { class: 'waterfall', 'data-testid': 'waterfall', dataset: { pageLoadId: doc.id } },
    h('figcaption', { class: 'visually-hidden' }, `${title}: ${objects.length} objects on a ${ms(scaleMs)} time axis`),
    h('div', { class: 'wf-head' },
      h('div', { class: 'wf-label-head' }, 'Object'),
      h('div', { class: 'wf-scale' }, markerLabels(markers, scaleMs), axis(scaleMs))),
    h('div', { class: 'wf-body', role: 'list' },
      // Grid lines under the bars, markers over them.
      h('div', { class: 'wf-overlay wf-grid', 'aria-hidden': 'true' }, gridLines(scaleMs)),
      rows,
      rows.length === 0 ? h('p', { class: 'empty' }, doc.status === 'running' ? 'Waiting for the first object…' : 'No objects.') : null,
      h('div', { class: 'wf-overlay', 'aria-hidden': 'true' }, markerLines(markers, scaleMs))));
  container.replaceChildren(figure);
  stackMarkerLabels(figure);
  return figure;
}

function row(object, doc, scaleMs, onSelect, selected) {
  const failed = Boolean(object.error);
  const phases = phasesOf(object);
  const barEnd = object.endMs ?? object.startMs ?? 0;
  const segments = phases.map((p) => h('span', {
    class: `seg phase-${p.name}`, 'data-phase': p.name,
    style: { left: pct(p.start, scaleMs), width: pct(p.duration, scaleMs) },
    title: `${p.name} ${ms(p.duration)}`,
  }));
  if (failed && segments.length === 0) {
    segments.push(h('span', { class: 'seg seg-failed', 'data-phase': 'failed', style: { left: pct(object.startMs ?? 0, scaleMs) } }));
  }
  // FetchAgent's own discovery after the last byte: a thin hatched mark right after the bar, not a network phase.
  const parse = discovery(object.discoveryMs);
  if (parse) {
    segments.push(h('span', {
      class: 'seg seg-discovery', 'data-discovery': String(object.discoveryMs), 'data-testid': 'discovery-mark',
      style: { left: pct(barEnd, scaleMs), width: pct(object.discoveryMs, scaleMs) },
      title: `${parse}: FetchAgent reading this ${object.kind === 'stylesheet' ? 'stylesheet' : 'document'} for references after its last byte`,
    }));
  }
  const end = barEnd + (parse ? object.discoveryMs : 0);
  const inside = end / scaleMs > 0.72;
  const note = h('span', {
    class: `wf-note${failed ? ' wf-error' : ''}${inside ? ' inside' : ''}`, 'data-testid': failed ? 'object-error' : null,
    style: inside ? { right: `calc(${100 - (end / scaleMs) * 100}% + 4px)` } : { left: `calc(${pct(end, scaleMs)} + 6px)` },
  }, failed ? object.error : [`${ms(object.time)} · ${bytes(object.bodyBytes)}`, parse ? ` · ${parse}` : null]);
  const label = h('button', {
    type: 'button', class: 'wf-label', title: object.url, 'aria-pressed': selected ? 'true' : 'false',
    onclick: () => onSelect?.(object),
  },
  h('span', { class: 'wf-id' }, object.id),
  h('span', { class: `wf-kind kind-${object.kind}` }, KIND_LABELS[object.kind] ?? object.kind),
  h('span', { class: `wf-status${statusClass(object)}` }, object.status ?? '!'),
  h('span', { class: 'wf-url' }, shortUrl(object.url, doc.url)));
  return h('div', {
    role: 'listitem',
    class: `wf-row${failed ? ' failed' : ''}${selected ? ' selected' : ''}${object.reusedConnection ? ' reused' : ''}`,
    'data-testid': 'waterfall-row', dataset: { objectId: object.id, failed: failed ? 'true' : 'false' },
    title: failed ? `${object.url}\n${object.error}` : `${object.url}\n${ms(object.time)} on connection ${object.connectionId ?? '–'}`,
  },
  label,
  h('div', { class: 'wf-track', onclick: () => onSelect?.(object) }, segments, note));
}

function statusClass(object) {
  if (object.error || !object.status) return ' bad';
  if (object.status >= 400) return ' bad';
  if (object.status >= 300) return ' redirect';
  return '';
}

function gridLines(scaleMs) {
  const step = tickStep(scaleMs);
  const lines = [];
  for (let t = step; t <= scaleMs; t += step) lines.push(h('span', { class: 'grid-line', style: { left: pct(t, scaleMs) } }));
  return lines;
}

function markerLines(markers, scaleMs) {
  return markers.map((m) => h('span', {
    class: `marker marker-${m.key}`, 'data-marker': m.key, 'data-ms': m.ms,
    style: { left: pct(m.ms, scaleMs) }, title: `${m.label} ${ms(m.ms)}`,
  }));
}

// Labels above the axis; stackMarkerLabels moves them into lanes once they can be measured.
function markerLabels(markers, scaleMs) {
  const labels = [...markers].sort((a, b) => a.ms - b.ms).map((m) => {
    const at = (m.ms / scaleMs) * 100;
    const alignRight = at > 70;
    return h('span', {
      class: `marker-label marker-${m.key}${alignRight ? ' right' : ''}`, 'data-marker-label': m.key,
      style: alignRight ? { right: `${100 - at}%` } : { left: `${at}%` },
    }, `${m.label} ${ms(m.ms)}`);
  });
  return h('div', { class: 'marker-labels' }, labels);
}

/** Puts each marker label in the first lane where it overlaps no other, so close markers stay readable. */
function stackMarkerLabels(figure) {
  const box = figure.querySelector('.marker-labels');
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
