// The content breakdown, as WebPageTest shows it: requests and bytes per content type and per host, so the
// heaviest kind of resource and the busiest host stand out. Bytes are header + body bytes as they crossed
// the wire (the document's `bytes` is their sum), requests are objects.
import { h, bytes, hostOf } from './format.js';
import { KIND_LABELS } from './waterfall.js';

/** [{ key, requests, bytes }] per group, heaviest first (then by name), and the totals. */
export function breakdownOf(objects, keyOf) {
  const groups = new Map();
  for (const o of objects) {
    const key = keyOf(o);
    const group = groups.get(key) ?? { key, requests: 0, bytes: 0 };
    group.requests += 1;
    group.bytes += (o.headerBytes ?? 0) + (o.bodyBytes ?? 0);
    groups.set(key, group);
  }
  const rows = [...groups.values()].sort((a, b) => b.bytes - a.bytes || a.key.localeCompare(b.key));
  return { rows, requests: objects.length, bytes: rows.reduce((sum, r) => sum + r.bytes, 0) };
}

export const byKind = (o) => KIND_LABELS[o.kind] ?? o.kind;
export const byHost = (o) => hostOf(o.url);

/** Draws both tables into `container`. */
export function renderBreakdown(container, doc) {
  const objects = doc.objects ?? [];
  container.replaceChildren(
    table('By content type', 'breakdown-kind', breakdownOf(objects, byKind)),
    table('By host', 'breakdown-host', breakdownOf(objects, byHost)));
}

function table(title, testId, { rows, requests, bytes: total }) {
  const share = (value, of) => (of > 0 ? `${((value / of) * 100).toFixed(1)} %` : '–');
  return h('div', { class: 'breakdown' },
    h('h3', {}, title),
    h('table', { class: 'breakdown-table', 'data-testid': testId },
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col' }, title === 'By host' ? 'Host' : 'Type'),
        h('th', { scope: 'col', class: 'num' }, 'Requests'),
        h('th', { scope: 'col', class: 'num' }, 'Bytes'),
        h('th', { scope: 'col', class: 'share' }, 'Share of bytes'))),
      h('tbody', {}, rows.map((r) => h('tr', { 'data-testid': 'breakdown-row', dataset: { key: r.key, requests: r.requests, bytes: r.bytes } },
        h('th', { scope: 'row' }, r.key || '–'),
        h('td', { class: 'num' }, r.requests),
        h('td', { class: 'num', title: `${r.bytes} bytes` }, bytes(r.bytes)),
        h('td', { class: 'share' },
          h('span', { class: 'share-bar', style: { width: total > 0 ? `${(r.bytes / total) * 100}%` : '0' } }),
          h('span', { class: 'share-text' }, share(r.bytes, total)))))),
      h('tfoot', {}, h('tr', { 'data-testid': 'breakdown-total', dataset: { requests, bytes: total } },
        h('th', { scope: 'row' }, 'Total'),
        h('td', { class: 'num' }, requests),
        h('td', { class: 'num', title: `${total} bytes` }, bytes(total)),
        h('td', {})))));
}
