// Formatting and DOM helpers shared by every page. Everything a server sent (URLs, headers,
// error text) goes into the page as text, never as HTML: the origins FetchAgent loads may be hostile.

/** Creates an element: h('td', { class: 'num', dataset: { x: 1 } }, 'text', child). */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === 'dataset') Object.assign(element.dataset, value);
    else if (name === 'style') Object.assign(element.style, value);
    else if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  append(element, children);
  return element;
}

/** Creates an SVG element with attributes. */
export function svg(tag, attributes = {}, ...children) {
  const element = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined) continue;
    if (name === 'dataset') Object.assign(element.dataset, value);
    else element.setAttribute(name, String(value));
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Milliseconds as people read them: "0.4 ms", "12 ms", "1.25 s". */
export function ms(value) {
  if (value === null || value === undefined || value < 0 || Number.isNaN(value)) return '–';
  if (value < 10) return `${value.toFixed(1)} ms`;
  if (value < 1000) return `${Math.round(value)} ms`;
  return `${(value / 1000).toFixed(2)} s`;
}

/**
 * FetchAgent's own time after an object's last byte (discoveryMs: parsing a document or stylesheet and issuing
 * what it references), as the waterfall labels it: "parse 1.2 ms"; null for objects FetchAgent did not read.
 */
export function discovery(value) {
  if (value === null || value === undefined || value < 0 || Number.isNaN(value)) return null;
  return `parse ${ms(value)}`;
}

/** Bytes in B, kB, MB (1000-based, like DevTools and WebPageTest; the terminal writes the same). */
export function bytes(value) {
  if (value === null || value === undefined) return '–';
  if (value < 1000) return `${value} B`;
  if (value < 1_000_000) return `${(value / 1000).toFixed(1)} kB`;
  return `${(value / 1_000_000).toFixed(2)} MB`;
}

/** A timestamp in the reader's locale, to the second. */
export function dateTime(iso) {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? String(iso) : date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
}

/** The part of a URL a waterfall label needs: path and query, with the host when it is not the page's. */
export function shortUrl(url, pageUrl) {
  try {
    const parsed = new URL(url);
    const page = pageUrl ? new URL(pageUrl) : null;
    const path = parsed.pathname + parsed.search;
    return page && page.host === parsed.host ? path : `${parsed.host}${path}`;
  } catch {
    return url;
  }
}

/** A round step for axis ticks so that about `count` ticks span `range`. */
export function tickStep(range, count = 8) {
  const raw = Math.max(range, 1e-6) / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw);
  return step ?? 10 * power;
}

/** The time scale end: the latest thing drawn, a little padded, never zero. */
export function scaleEnd(...values) {
  const max = Math.max(1, ...values.filter((v) => Number.isFinite(v)));
  return max * 1.04;
}

/** Percent of the scale for a time, clamped to the track. */
export function pct(value, scale) {
  return `${Math.min(100, Math.max(0, (value / scale) * 100))}%`;
}

/** The page-load id (or comparison id) at the end of the current path. */
export function idFromPath() {
  const match = /\/(\d+)\/?$/.exec(window.location.pathname);
  return match ? Number(match[1]) : null;
}

/** host[:port] of a URL (the port only when it is not the scheme's default, as URL.host writes it). */
export function hostOf(url) {
  try {
    return new URL(url).host;
  } catch {
    return '';
  }
}

/**
 * A waterfall's name column: the last path segment (with its query, shortened) and the host, so a hundred long
 * URLs with one prefix are not a hundred identical labels. "/" for a URL that ends in a slash.
 */
export function objectName(url) {
  try {
    const parsed = new URL(url);
    const segments = parsed.pathname.split('/');
    const last = decodeURIComponentSafe(segments[segments.length - 1] || (segments.length > 2 ? `${segments[segments.length - 2]}/` : '/'));
    const query = parsed.search.length > 24 ? `${parsed.search.slice(0, 23)}…` : parsed.search;
    return { name: last + query, host: parsed.host };
  } catch {
    return { name: url, host: '' };
  }
}

function decodeURIComponentSafe(text) {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * A metric of a load as the UI writes it: "–" when the load does not have it (a failed load's 0 is "never
 * happened", not "took no time"), else ms().
 */
export function metric(value, status) {
  if (status === 'running') return '…';
  if (status === 'failed' && !(value > 0)) return '–';
  return ms(value);
}

/** A signed percentage difference: "+12.3 %", "−4.0 %", "±0 %". */
export function percentDiff(value, base) {
  if (!(base > 0) || !Number.isFinite(value)) return '–';
  const diff = ((value - base) / base) * 100;
  if (Math.abs(diff) < 0.05) return '±0 %';
  return `${diff > 0 ? '+' : '−'}${Math.abs(diff).toFixed(1)} %`;
}

/**
 * Calls `layout` once the window's width has settled after a resize (debounced by `delayMs`), and only when the width
 * changed: what the pages measure (waterfall bars, marker labels, charts) depends on the width alone. A height-only
 * resize (a browser's bar sliding away, a full-page screenshot) would otherwise redraw the page under the user's
 * pointer, and a click that lands while its target is replaced is lost.
 */
export function onWidthChange(layout, delayMs = 120) {
  let width = window.innerWidth;
  let timer;
  window.addEventListener('resize', () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      if (window.innerWidth === width) return;
      width = window.innerWidth;
      layout();
    }, delayMs);
  });
}
