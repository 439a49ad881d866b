// The detail of one object, shown when its waterfall row is clicked: URL, status, sizes, every
// timing, its connection and 4-tuple, and the request and response headers as they were sent.
import { h, ms, bytes, discovery } from './format.js';
import { PHASES } from './waterfall.js';

/** DevTools' Network panel names Chromium's highest and lowest priorities so. */
const DEVTOOLS_PRIORITY = { VeryHigh: 'Highest', VeryLow: 'Lowest' };

/** Fills `panel` with `object`'s detail; `connection` is its connection record, if any. */
export function renderObjectDetail(panel, object, connection, { onClose, view = null }) {
  const t = object.timings ?? {};
  const field = (name, value, attributes = {}) => [h('dt', {}, name), h('dd', attributes, value ?? '–')];
  // replaceChildren would print a null as "null": leave the optional parts out instead.
  panel.replaceChildren(...[
    h('header', { class: 'detail-head' },
      h('h2', { id: 'object-detail-title' }, `Object ${object.id}`, h('span', { class: 'detail-kind' }, ` ${object.kind}${view ? ` · ${view}` : ''}`)),
      h('button', { type: 'button', class: 'close', 'aria-label': 'Close object detail', onclick: onClose }, '×')),
    h('p', { class: 'detail-url', 'data-testid': 'detail-url' }, h('a', { href: object.url, rel: 'noreferrer noopener', target: '_blank' }, object.url)),
    object.error ? h('p', { class: 'detail-error', role: 'alert' }, object.error) : null,
    h('div', { class: 'detail-columns' },
      h('section', {},
        h('h3', {}, 'Response'),
        h('dl', {},
          field('Status', object.status ? `${object.status} ${object.statusText ?? ''}` : 'none', { 'data-testid': 'detail-status' }),
          field('Method', object.method),
          field('HTTP version', object.httpVersion),
          field('Content type', object.contentType),
          field('Header bytes', bytes(object.headerBytes)),
          field('Body bytes', bytes(object.bodyBytes)),
          field('Initiator', `${object.initiator}${object.parentId ? ` (from object ${object.parentId})` : ''}`),
          field('Render blocking', object.renderBlocking ? 'yes' : 'no'),
          // The priority the request went out at, in DevTools' words (the document and HAR say VeryHigh and VeryLow).
          object.priority ? field('Priority', DEVTOOLS_PRIORITY[object.priority] ?? object.priority, { 'data-testid': 'detail-priority', 'data-priority': object.priority }) : null,
          object.redirectUrl ? field('Redirects to', object.redirectUrl) : null,
          // What proxies and caches on the way added (RFC 9110 §7.6.3, RFC 9111 §5.1).
          object.via ? field('Via', object.via, { 'data-testid': 'detail-via' }) : null,
          object.age != null ? field('Age', `${object.age} s in a cache on the way`, { 'data-testid': 'detail-age' }) : null)),
      h('section', {},
        h('h3', {}, 'Timings'),
        h('dl', { 'data-testid': 'detail-timings' },
          field('Start', ms(object.startMs)),
          PHASES.map((p) => field(p.label, t[p.name] === undefined || t[p.name] < 0 ? 'did not happen' : ms(t[p.name]))),
          field('Total (time)', ms(object.time)),
          field('End', ms(object.endMs)),
          // Not a network phase: FetchAgent's own parsing after the last byte, until every reference was requested.
          discovery(object.discoveryMs) ? field("Parse (FetchAgent's discovery)", ms(object.discoveryMs), { 'data-testid': 'detail-discovery' }) : null)),
      h('section', {},
        h('h3', {}, 'Connection'),
        h('dl', { 'data-testid': 'detail-connection' },
          field('Connection', object.connectionId ? `#${object.connectionId}${object.reusedConnection ? ' (reused)' : ' (new)'}` : 'none'),
          field('Retries', object.retries),
          connection ? [
            field('Local', `${connection.localAddress}:${connection.localPort}`),
            field('Remote', `${connection.remoteAddress}:${connection.remotePort}`),
            field('Closed because', connection.closeReason ?? 'still open'),
          ] : null))),
    object.cache ? cacheSection(object) : null,
    headerTable('Request headers', object.requestHeaders, 'request-headers'),
    headerTable('Response headers', object.responseHeaders, 'response-headers'),
  ].filter(Boolean));
  panel.hidden = false;
}

// Issue 15: the object's HTTP cache entry before its request and after its response (HAR's cache object).
function cacheSection(object) {
  const answer = object.fromCache ? 'from the cache, nothing sent' : object.revalidated ? 'revalidated: 304, stored body used' : 'from the network';
  const entry = (e) => (e
    ? `stored${e.eTag ? `, ETag ${e.eTag}` : ''}, ${e.hitCount} hit${e.hitCount === 1 ? '' : 's'}, fresh until ${new Date(e.expires).toISOString()}`
    : 'nothing stored');
  return h('section', { class: 'cache' },
    h('h3', {}, 'HTTP cache'),
    h('dl', { 'data-testid': 'detail-cache' },
      h('dt', {}, 'Answer'), h('dd', {}, answer),
      h('dt', {}, 'Before the request'), h('dd', {}, entry(object.cache.beforeRequest)),
      h('dt', {}, 'After the response'), h('dd', {}, entry(object.cache.afterRequest))));
}

function headerTable(title, headers, testId) {
  const list = headers ?? [];
  return h('section', { class: 'headers' },
    h('h3', {}, title),
    list.length === 0
      ? h('p', { class: 'empty', 'data-testid': testId }, 'none recorded')
      : h('table', { 'data-testid': testId },
        h('tbody', {}, list.map((header) => h('tr', {}, h('th', { scope: 'row' }, header.name), h('td', {}, header.value))))));
}
