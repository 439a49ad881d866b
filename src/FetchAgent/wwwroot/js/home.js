// The home page: start a page load (or a comparison of strategies), and browse past loads.
import { startPageLoad, listPageLoads, createComparison, ApiError } from './api.js';
import { h, ms, dateTime } from './format.js';

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

function loadOptions(form) {
  const data = new FormData(form);
  return {
    url: String(data.get('url') ?? '').trim(),
    strategy: String(data.get('strategy')),
    maxConnectionsPerHost: Number(data.get('maxConnectionsPerHost')),
  };
}

async function onLoad(event) {
  event.preventDefault();
  const form = event.currentTarget;
  const button = form.querySelector('button[type="submit"]');
  showErrors(form, null);
  button.disabled = true;
  try {
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
  const { url, maxConnectionsPerHost } = loadOptions(form);
  showErrors(form, null);
  event.currentTarget.disabled = true;
  $('#compare-status').textContent = `Loading the page with ${strategies.join(', ') || 'no strategy'}, one after another…`;
  try {
    const comparison = await createComparison({ url, strategies, maxConnectionsPerHost });
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
    h('td', {}, h('time', { datetime: item.startedAt }, dateTime(item.startedAt))),
    h('td', {}, h('span', { class: `status status-${item.status}` }, item.status)),
    h('td', {}, item.strategy),
    h('td', { class: 'num' }, item.status === 'running' ? '…' : ms(item.perceivedMs)),
    h('td', { class: 'num' }, item.status === 'running' ? '…' : ms(item.actualMs)),
    h('td', { class: 'num' }, item.objectCount));
}

function main() {
  $('#load-form').addEventListener('submit', onLoad);
  $('#compare').addEventListener('click', onCompare);
  $('#filter-form').addEventListener('submit', (event) => {
    event.preventDefault();
    list.filter = String(new FormData(event.currentTarget).get('filter') ?? '').trim();
    loadList();
  });
  $('#more').addEventListener('click', () => loadList({ more: true }));
  loadList();
}

main();
