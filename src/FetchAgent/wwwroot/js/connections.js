// The connection view: one row per TCP connection, with a box per object it carried, placed from
// the moment the object had the connection (start + blocked) to its end. Reuse shows as several
// boxes in a row, pipelining as overlapping boxes (drawn in lanes), idle time as the gaps between.
import { h, ms } from './format.js';
import { axis, brush, timeWindow } from './waterfall.js';

/**
 * Draws `doc`'s connections into `container` on a scale of `scaleMs`, or the waterfall's zoomed `view` ({ from, to }),
 * so a moment sits at the same x in both. With `onZoom`, its axis brushes and double-click resets as the waterfall's does.
 */
export function renderConnections(container, doc, { scaleMs, view = null, onSelect, onZoom = null }) {
  const connections = [...(doc.connections ?? [])].sort((a, b) => a.id - b.id);
  const objects = doc.objects ?? [];
  const w = view ? timeWindow(view.from, view.to) : timeWindow(0, scaleMs);
  const rows = connections.map((connection) => row(connection, objects.filter((o) => o.connectionId === connection.id), w, scaleMs, onSelect));
  const scale = h('div', { class: `wf-scale${onZoom ? ' brushable' : ''}`, 'data-testid': 'connections-axis', dataset: { from: w.from, to: w.to } }, axis(w));
  const figure = h('figure', { class: 'connections', 'data-testid': 'connections' },
    h('figcaption', { class: 'visually-hidden' }, `${connections.length} connections`),
    h('div', { class: 'wf-head' },
      h('div', { class: 'wf-label-head' }, 'Connection  (local port → remote port)'),
      scale),
    h('div', { class: 'wf-body', role: 'list' },
      rows.length ? rows : h('p', { class: 'empty' }, doc.status === 'running' ? 'Connections appear when the load is done.' : 'No connections.')));
  container.replaceChildren(figure);
  if (onZoom) brush(figure, scale, w, onZoom);
  return figure;
}

/** Inline left/width of [start, end] in the window, or hidden when it lies wholly outside. */
function placed(w, start, end) {
  return w.place(start, end) ?? { display: 'none' };
}

function row(connection, objects, w, scaleMs, onSelect) {
  const boxes = placeInLanes(objects.map((o) => ({
    object: o,
    start: (o.startMs ?? 0) + Math.max(o.timings?.blocked ?? 0, 0),
    end: o.endMs ?? o.startMs ?? 0,
  })));
  const lanes = Math.max(1, ...boxes.map((b) => b.lane + 1));
  const closed = connection.closedMs ?? scaleMs;
  const setup = setupSegments(connection, w);
  const label = h('div', { class: 'cx-label' },
    h('span', { class: 'wf-id' }, `#${connection.id}`),
    h('span', { class: 'cx-host' }, `${connection.scheme}://${connection.host}:${connection.port}`),
    connection.anonymous ? h('span', { class: 'cx-anonymous', 'data-testid': 'connection-anonymous', title: 'requests sent without credentials (CORS fonts from another origin), on connections of their own as in Chromium' }, 'anonymous') : null,
    connection.proxy ? h('span', { class: 'cx-proxy', 'data-testid': 'connection-proxy', title: 'the 4-tuple is the connection to this proxy' }, `via ${connection.proxy}`) : null,
    h('span', { class: 'cx-ports', 'data-testid': 'connection-ports' }, `:${connection.localPort} → :${connection.remotePort}`),
    protocol(connection),
    // --keep-connections: a first view's connection that went on open to the repeat view, and the one continuing it there.
    connection.keptForRepeatView ? h('span', { class: 'cx-kept', 'data-testid': 'connection-kept' }, 'kept for the repeat view')
      : h('span', { class: `cx-close close-${connection.closeReason ?? 'open'}` }, connection.closeReason ?? 'open'),
    connection.keptFrom ? h('span', { class: 'cx-kept', 'data-testid': 'connection-kept-from' }, `first view's #${connection.keptFrom}`) : null,
    h('span', { class: 'cx-requests' }, `${connection.requests} req`),
    tcpInfo(connection));
  const track = h('div', { class: 'wf-track cx-track', style: { height: `${lanes * 16 + 6}px` } },
    h('span', {
      class: 'cx-life', style: placed(w, connection.openedMs, Math.max(connection.openedMs, closed)),
      title: `open ${ms(connection.openedMs)} → ${connection.closedMs == null ? 'end' : ms(connection.closedMs)}`,
    }),
    setup,
    boxes.map((b) => h('button', {
      type: 'button', class: `cx-object kind-${b.object.kind}${b.object.error ? ' failed' : ''}`,
      'data-testid': 'connection-object', dataset: { objectId: b.object.id },
      style: { ...placed(w, b.start, Math.max(b.start, b.end)), top: `${3 + b.lane * 16}px` },
      title: `#${b.object.id} ${b.object.url}\n${ms(b.start)} → ${ms(b.end)}${b.object.reusedConnection ? ' (reused connection)' : ''}`,
      onclick: () => onSelect?.(b.object),
    }, b.object.id)));
  return h('div', {
    role: 'listitem', class: 'wf-row cx-row', 'data-testid': 'connection-row', dataset: { connectionId: connection.id, lanes },
  }, label, track);
}

// The protocol ALPN (or prior knowledge) settled on; for HTTP/2, how many streams it carried at once at most.
function protocol(connection) {
  if (!connection.protocol) return null;
  const h2 = connection.protocol === 'h2';
  return h('span', {
    class: `cx-protocol${h2 ? ' h2' : ''}`, 'data-testid': 'connection-protocol',
    title: h2 ? 'HTTP/2: every request a stream, multiplexed on this one connection' : `${connection.protocol} (ALPN)`,
  }, h2 && connection.peakConcurrentStreams ? `h2 · ${connection.peakConcurrentStreams} streams at once` : connection.protocol);
}

// DNS ends where the connect begins (openedMs); TLS follows the TCP handshake inside connectMs, and through a
// proxy the CONNECT exchange sits between the two.
function setupSegments(connection, w) {
  const segments = [];
  const ssl = connection.sslMs > 0 ? connection.sslMs : 0;
  const proxy = connection.proxyMs > 0 ? connection.proxyMs : 0;
  if (connection.dnsMs > 0) {
    segments.push(h('span', { class: 'cx-setup phase-dns', title: `DNS ${ms(connection.dnsMs)}`, style: placed(w, connection.openedMs - connection.dnsMs, connection.openedMs) }));
  }
  if (connection.connectMs > 0) {
    segments.push(h('span', { class: 'cx-setup phase-connect', title: `Connect ${ms(connection.connectMs - proxy - ssl)}`, style: placed(w, connection.openedMs, connection.openedMs + connection.connectMs - proxy - ssl) }));
  }
  if (proxy > 0) {
    const start = connection.openedMs + connection.connectMs - proxy - ssl;
    segments.push(h('span', { class: 'cx-setup phase-proxy', title: `Proxy negotiation (CONNECT) ${ms(proxy)} via ${connection.proxy}`, style: placed(w, start, start + proxy) }));
  }
  if (ssl > 0) {
    segments.push(h('span', { class: 'cx-setup phase-ssl', title: `TLS ${ms(ssl)}`, style: placed(w, connection.openedMs + connection.connectMs - ssl, connection.openedMs + connection.connectMs) }));
  }
  return segments;
}

/** Greedy interval colouring: each box takes the first lane whose last box ended before it starts. */
export function placeInLanes(boxes) {
  const laneEnds = [];
  return [...boxes].sort((a, b) => a.start - b.start || a.object.id - b.object.id).map((box) => {
    let lane = laneEnds.findIndex((end) => end <= box.start);
    if (lane < 0) lane = laneEnds.length;
    laneEnds[lane] = box.end;
    return { ...box, lane };
  });
}

/** The kernel's view at close (Linux TCP_INFO): RTT and congestion window on the row, the rest on hover. */
function tcpInfo(connection) {
  const t = connection.tcpInfo;
  if (!t) return null;
  const detail = [
    `smoothed RTT ${ms(t.rttMs)} (variance ${ms(t.rttVarMs)}${t.minRttMs != null ? `, min ${ms(t.minRttMs)}` : ''})`,
    `congestion window ${t.congestionWindow} segments of ${t.sendMss} B, slow-start threshold ${t.slowStartThreshold >= 2147483647 ? 'not reached' : t.slowStartThreshold}`,
    `retransmitted ${t.retransmits}`,
    t.bytesReceived != null ? `received ${t.bytesReceived} B, acked ${t.bytesAcked} B` : null,
    t.deliveryRateBytesPerSecond != null ? `delivery rate ${Math.round(t.deliveryRateBytesPerSecond / 1000)} kB/s` : null,
    connection.timeWait != null ? `TIME_WAIT on FetchAgent's side: ${connection.timeWait ? 'yes' : 'no'}${connection.closedBy ? `, closed first by ${connection.closedBy}` : ''}` : null,
  ].filter(Boolean).join('\n');
  return h('span', { class: 'cx-tcp muted', 'data-testid': 'connection-tcp', title: `TCP_INFO at close\n${detail}` },
    `rtt ${ms(t.rttMs)} · cwnd ${t.congestionWindow}`);
}
