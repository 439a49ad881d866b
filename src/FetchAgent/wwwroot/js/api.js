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

// The daemon's API key, when it has one: asked for once, the first time the API answers 401, and kept in
// sessionStorage, so it lasts as long as the tab and is sent on every call after it.
const KEY_ITEM = 'fetchagent.apiKey';
let asking = null;

function apiKey() {
  return sessionStorage.getItem(KEY_ITEM);
}

/** Asks for the key once, however many calls got 401 at the same moment; null when the user cancels. */
function askForKey() {
  asking ??= Promise.resolve().then(() => {
    const key = window.prompt('This FetchAgent daemon needs its API key (FetchAgent:ApiKey):');
    if (key) sessionStorage.setItem(KEY_ITEM, key.trim());
    asking = null;
    return key ? key.trim() : null;
  });
  return asking;
}

/** fetch with the key (if any), asking for it on a 401 and trying once more with it. */
async function send(path, init) {
  const withKey = () => {
    const headers = { ...init.headers };
    const key = apiKey();
    if (key) headers['X-Api-Key'] = key;
    return fetch(path, { ...init, headers });
  };
  const sentWith = apiKey();
  let response = await withKey();
  if (response.status === 401) {
    // Another call may have got the key meanwhile; else ask.
    if (apiKey() === sentWith) sessionStorage.removeItem(KEY_ITEM);
    if (apiKey() || (await askForKey())) response = await withKey();
  }
  return response;
}

async function request(method, path, body) {
  const init = { method, headers: { Accept: 'application/json' } };
  // The daemon takes POST and DELETE only as JSON (a cross-site form cannot send that).
  if (method === 'POST' || method === 'DELETE') init.headers['Content-Type'] = 'application/json';
  if (body !== undefined) init.body = JSON.stringify(body);
  const response = await send(path, init);
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

/** Cancels a running or queued load: the document as stored, status "cancelled" (or finished, if it ended first). */
export function cancelPageLoad(id) {
  return request('DELETE', `/api/page-loads/${encodeURIComponent(id)}`);
}

export function getPageLoad(id) {
  return request('GET', `/api/page-loads/${encodeURIComponent(id)}`);
}

/** Deletes a finished load (DELETE takes JSON only, and the key when the daemon has one). */
export function deletePageLoad(id) {
  return request('DELETE', `/api/page-loads/${encodeURIComponent(id)}`);
}

/** The load as HAR 1.2, as a Blob (fetched with the key, so a plain link would not do). */
export async function harBlob(id) {
  const response = await send(`/api/page-loads/${encodeURIComponent(id)}/har`, { headers: { Accept: 'application/json' } });
  if (!response.ok) throw new ApiError(response.status, await response.json().catch(() => null));
  return response.blob();
}

/** Imports a HAR file's JSON text: the stored page load's document. */
export async function importHar(text) {
  let har;
  try {
    har = JSON.parse(text);
  } catch (error) {
    throw new ApiError(400, { title: 'not a HAR file', errors: { body: [`is not valid JSON: ${error.message}`] } });
  }
  return request('POST', '/api/hars', har);
}

/** Past comparisons, newest first: { items }. */
export function listComparisons(limit = 20) {
  return request('GET', `/api/comparisons?limit=${limit}`);
}

/** Per strategy medians and every load as a point, for one URL. */
export function getTrends(url) {
  return request('GET', `/api/trends?${new URLSearchParams({ url })}`);
}

export function createComparison(options) {
  return request('POST', '/api/comparisons', options);
}

export function getComparison(id) {
  return request('GET', `/api/comparisons/${encodeURIComponent(id)}`);
}

/**
 * Follows a running load: onObject(record) per finished object, then onDone(summary).
 * Returns a function that stops following. Read with fetch, not EventSource, which cannot send the API key.
 */
export function followPageLoad(id, { onObject, onDone, onError }) {
  const abort = new AbortController();
  const handlers = { object: onObject, done: onDone };
  let done = false;
  (async () => {
    const response = await send(`/api/page-loads/${encodeURIComponent(id)}/events`, {
      headers: { Accept: 'text/event-stream' },
      signal: abort.signal,
    });
    if (!response.ok || !response.body) throw new ApiError(response.status, null);
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done: ended } = await reader.read();
      if (ended) break;
      buffer += value.replaceAll('\r\n', '\n');
      // Events end at a blank line (text/event-stream); each has an `event:` name and `data:` lines.
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const lines = buffer.slice(0, end).split('\n');
        buffer = buffer.slice(end + 2);
        const name = lines.find((l) => l.startsWith('event:'))?.slice(6).trim() ?? 'message';
        const data = lines.filter((l) => l.startsWith('data:')).map((l) => l.slice(5).replace(/^ /, '')).join('\n');
        if (name === 'done') done = true;
        handlers[name]?.(JSON.parse(data));
      }
    }
    // The server closes the stream after `done`; an end before it means the daemon went away.
    if (!done) onError?.();
  })().catch((error) => {
    if (!abort.signal.aborted) onError?.(error);
  });
  return () => abort.abort();
}
