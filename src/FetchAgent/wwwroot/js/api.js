// The REST API, as the pages use it. Errors come back as RFC 9457 problem documents;
// ApiError keeps the whole document so forms can show `errors` next to their fields.

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem ?? {};
  }

  /** Field name → messages, from a validation problem's `errors`. */
  get errors() {
    return this.problem.errors ?? {};
  }
}

async function request(method, path, body) {
  const init = { method, headers: { Accept: 'application/json' } };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const response = await fetch(path, init);
  const text = await response.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = { title: text };
  }
  if (!response.ok) throw new ApiError(response.status, json);
  return json;
}

/** Starts a load without waiting for it: the running document (status "running"). */
export function startPageLoad(options) {
  return request('POST', '/api/page-loads?wait=false', options);
}

/** Past loads, newest first: { items, nextCursor }. */
export function listPageLoads({ url, host, cursor, limit = 25 } = {}) {
  const query = new URLSearchParams({ limit: String(limit) });
  if (url) query.set('url', url);
  if (host) query.set('host', host);
  if (cursor) query.set('cursor', cursor);
  return request('GET', `/api/page-loads?${query}`);
}

export function getPageLoad(id) {
  return request('GET', `/api/page-loads/${encodeURIComponent(id)}`);
}

export function createComparison(options) {
  return request('POST', '/api/comparisons', options);
}

export function getComparison(id) {
  return request('GET', `/api/comparisons/${encodeURIComponent(id)}`);
}

/**
 * Follows a running load: onObject(record) per finished object, then onDone(summary).
 * Returns a function that stops following.
 */
export function followPageLoad(id, { onObject, onDone, onError }) {
  const source = new EventSource(`/api/page-loads/${encodeURIComponent(id)}/events`);
  source.addEventListener('object', (event) => onObject(JSON.parse(event.data)));
  source.addEventListener('done', (event) => {
    source.close();
    onDone(JSON.parse(event.data));
  });
  // The server closes the stream after `done`; an error before it means the daemon went away.
  source.addEventListener('error', () => {
    if (source.readyState === EventSource.CLOSED) onError?.();
  });
  return () => source.close();
}
