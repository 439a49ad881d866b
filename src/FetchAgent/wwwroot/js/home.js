// The home page: start a page load (or a comparison of strategies), and browse past loads.
import { startPageLoad, listPageLoads, createComparison, listComparisons, importHar, ApiError } from './api.js';
import { h, dateTime, metric } from './format.js';

const $ = (selector) => document.querySelector(selector);
const list = { filter: '', cursor: null };

/** Shows each problem `errors` entry next to its field; the rest in the form's general message. */
function showErrors(form, error) {
  for (const element of form.querySelectorAll('.field-error')) {
    element.textContent = '';
    element.hidden = true;
  }
  for (const input of form.querySelectorAll('[aria-invalid]')) input.removeAttribute('aria-invalid');
  if (!error) return;
  const general = form.querySelector('.form-error');
  const unplaced = [];
  for (const [field, messages] of Object.entries(error instanceof ApiError ? error.errors : {})) {
    const slot = form.querySelector(`.field-error[data-field="${CSS.escape(field)}"]`);
    if (slot) {
      slot.textContent = messages.join(' ');
      slot.hidden = false;
      form.querySelector(`[name="${CSS.escape(field)}"]`)?.setAttribute('aria-invalid', 'true');
    } else {
      unplaced.push(`${field}: ${messages.join(' ')}`);
    }
  }
  if (unplaced.length || !(error instanceof ApiError) || Object.keys(error.errors).length === 0) {
    general.textContent = unplaced.length ? unplaced.join(' · ') : error.message;
    general.hidden = false;
  }
}

const NUMBER_OPTIONS = ['maxConnectionsPerHost', 'pipelineDepth', 'objectTimeoutMs', 'connectTimeoutMs', 'pageTimeoutMs', 'maxObjects', 'maxBodyBytes', 'rttMs', 'downKbps', 'upKbps'];

/** Every load option of the form, as the API names it; a number left empty is left out (the daemon's default). */
function loadOptions(form) {
  const data = new FormData(form);
  const options = { url: String(data.get('url') ?? '').trim(), strategy: String(data.get('strategy')) };
  for (const name of NUMBER_OPTIONS) {
    const text = String(data.get(name) ?? '').trim();
    // A value that is not a number goes to the API as it is, so the problem comes back naming the field.
    if (text !== '') options[name] = Number.isFinite(Number(text)) ? Number(text) : text;
  }
  options.insecure = data.get('insecure') === 'on';
  // Text left empty is left out: the daemon's environment (http_proxy, no_proxy) decides, as it would for curl.
  for (const name of ['proxy', 'noproxy', 'network']) {
    const text = String(data.get(name) ?? '').trim();
    if (text !== '') options[name] = text;
  }
  options.proxyConnectionHeader = data.get('proxyConnectionHeader') === 'on';
  options.nagle = data.get('nagle') === 'on';
  options.splitRequest = data.get('splitRequest') === 'on';
  options.repeatView = data.get('repeatView') === 'on';
  options.keepConnections = data.get('keepConnections') === 'on';
  options.http2PriorKnowledge = data.get('http2PriorKnowledge') === 'on';
  options.sharedFontConnections = data.get('sharedFontConnections') === 'on';
  options.noTightMode = data.get('noTightMode') === 'on';
  return options;
}

function runs(form) {
  const text = String(new FormData(form).get('runs') ?? '').trim();
  return text === '' ? 1 : Number(text);
}

async function onLoad(event) {
  event.preventDefault();
  const form = event.currentTarget;
  const button = form.querySelector('button[type="submit"]');
  showErrors(form, null);
  button.disabled = true;
  try {
    const count = runs(form);
    if (count !== 1) {
      // Several runs of one load: a comparison of that strategy alone, whose view leads with its median run.
      const { strategy, ...options } = loadOptions(form);
      $('#compare-status').textContent = `Loading the page ${count} times after a warm-up load…`;
      const comparison = await createComparison({ ...options, strategies: [strategy], runs: count });
      window.location.assign(`/comparisons/${comparison.id}`);
      return;
    }
    const running = await startPageLoad(loadOptions(form));
    window.location.assign(`/page-loads/${running.id}`);
  } catch (error) {
    showErrors(form, error);
    button.disabled = false;
  }
}

async function onCompare(event) {
  const form = $('#load-form');
  const strategies = [...document.querySelectorAll('input[name="compare"]:checked')].map((c) => c.value);
  const { strategy, ...options } = loadOptions(form);
  const body = { ...options, strategies, runs: runs(form) };
  const sweep = $('#sweep-option').value;
  if (sweep) {
    // "1,2,4,6": the option takes each value in turn, with every strategy.
    const values = $('#sweep-values').value.split(',').map((v) => v.trim()).filter(Boolean);
    body[sweep] = values.map((v) => (Number.isFinite(Number(v)) ? Number(v) : v));
  }
  showErrors(form, null);
  event.currentTarget.disabled = true;
  $('#compare-status').textContent = `Loading the page with ${strategies.join(', ') || 'no strategy'}${sweep ? ` for each ${sweep} value` : ''}, one after another…`;
  try {
    const comparison = await createComparison(body);
    window.location.assign(`/comparisons/${comparison.id}`);
  } catch (error) {
    $('#compare-status').textContent = '';
    showErrors(form, error);
    event.currentTarget.disabled = false;
  }
}

// The API filters by an exact URL or by host; a filter that parses as a URL is the former.
function filterQuery(text) {
  if (!text) return {};
  try {
    const url = new URL(text);
    if (url.protocol === 'http:' || url.protocol === 'https:') return { url: text };
  } catch {
    // not a URL: a host name
  }
  return { host: text };
}

async function loadList({ more = false } = {}) {
  const body = $('#loads tbody');
  const message = $('#list-message');
  try {
    const page = await listPageLoads({ ...filterQuery(list.filter), cursor: more ? list.cursor : null });
    if (!more) body.replaceChildren();
    body.append(...page.items.map(summaryRow));
    list.cursor = page.nextCursor;
    $('#more').hidden = !page.nextCursor;
    message.textContent = body.children.length === 0 ? (list.filter ? 'No page loads match this filter.' : 'No page loads yet: load a URL above.') : '';
    message.hidden = body.children.length !== 0;
    showErrors($('#filter-form'), null);
  } catch (error) {
    showErrors($('#filter-form'), error);
  }
}

function summaryRow(item) {
  return h('tr', { 'data-testid': 'load-row', dataset: { pageLoadId: item.id } },
    h('td', { class: 'url' }, h('a', { href: `/page-loads/${item.id}`, title: item.url }, item.url)),
    h('td', { class: 'started' }, h('time', { datetime: item.startedAt }, dateTime(item.startedAt))),
    h('td', {}, h('span', { class: `status status-${item.status}` }, item.status)),
    h('td', {}, item.importedFrom ? h('span', { class: 'imported', title: `imported from a HAR by ${item.importedFrom}` }, 'HAR') : item.strategy),
    h('td', { class: 'num', 'data-cell': 'perceived' }, metric(item.perceivedMs, item.status)),
    h('td', { class: 'num', 'data-cell': 'actual' }, metric(item.actualMs, item.status)),
    h('td', { class: 'num' }, item.objectCount));
}

async function loadComparisons() {
  const body = $('#comparisons tbody');
  const message = $('#comparisons-message');
  try {
    const { items } = await listComparisons();
    body.replaceChildren(...items.map((c) => h('tr', { 'data-testid': 'comparison-item', dataset: { comparisonId: c.id } },
      h('td', { class: 'url' }, h('a', { href: `/comparisons/${c.id}`, title: c.url }, c.url)),
      h('td', { class: 'started' }, h('time', { datetime: c.createdAt }, dateTime(c.createdAt))),
      h('td', {}, c.strategies.join(', ')),
      h('td', {}, c.sweep ? `${c.sweep.option} ${c.sweep.values.join(', ')}` : '–'),
      h('td', { class: 'num' }, c.runs),
      h('td', { class: 'num' }, c.loads))));
    message.textContent = items.length ? '' : 'No comparisons yet: tick strategies above and press Compare.';
    message.hidden = items.length > 0;
  } catch (error) {
    message.textContent = `Could not read the comparisons: ${error.message}`;
    message.hidden = false;
  }
}

async function onImport(event) {
  event.preventDefault();
  const form = event.currentTarget;
  const error = form.querySelector('.form-error');
  error.hidden = true;
  const file = $('#har-file').files?.[0];
  if (!file) {
    error.textContent = 'Choose a .har file first.';
    error.hidden = false;
    return;
  }
  try {
    const doc = await importHar(await file.text());
    window.location.assign(`/page-loads/${doc.id}`);
  } catch (problem) {
    const fields = problem instanceof ApiError ? Object.entries(problem.errors).map(([f, m]) => `${f}: ${m.join(' ')}`) : [];
    error.textContent = `Could not import ${file.name}: ${fields.length ? fields.join(' · ') : problem.message}`;
    error.hidden = false;
  }
}

function main() {
  const deleted = new URLSearchParams(window.location.search).get('deleted');
  if (deleted) {
    $('#notice').textContent = `Page load ${deleted} was deleted.`;
    $('#notice').hidden = false;
  }
  $('#har-form').addEventListener('submit', onImport);
  $('#load-form').addEventListener('submit', onLoad);
  $('#compare').addEventListener('click', onCompare);
  $('#filter-form').addEventListener('submit', (event) => {
    event.preventDefault();
    list.filter = String(new FormData(event.currentTarget).get('filter') ?? '').trim();
    loadList();
  });
  $('#more').addEventListener('click', () => loadList({ more: true }));
  // One after the other: against a daemon with an API key, only the first call goes without it.
  loadList().then(loadComparisons);
}

main();
