// The comparison view (/comparisons/{id}): strategies side by side, perceived against actual, and
// every row's waterfall stacked on one time scale so the strategies can be read against each other.
import { getComparison, getPageLoad } from './api.js';
import { h, ms, idFromPath, scaleEnd, pct } from './format.js';
import { renderWaterfall, endOf, legend } from './waterfall.js';

const $ = (selector) => document.querySelector(selector);

function renderTable(comparison) {
  const scale = scaleEnd(...comparison.rows.flatMap((r) => [r.perceivedMs, r.actualMs]));
  const rows = comparison.rows.map((row) => h('tr', { 'data-testid': 'comparison-row', dataset: { strategy: row.strategy, pageLoadId: row.pageLoadId ?? '' } },
    h('th', { scope: 'row' }, row.strategy),
    h('td', { class: 'bars' },
      bar('perceived', 'Perceived', row.perceivedMs, scale),
      bar('actual', 'Actual', row.actualMs, scale)),
    h('td', { class: 'num' }, ms(row.startRenderMs)),
    h('td', { class: 'num' }, row.connectionCount),
    h('td', { class: 'num' }, row.reusedRequests),
    h('td', {}, row.pageLoadId ? h('a', { href: `/page-loads/${row.pageLoadId}` }, `load ${row.pageLoadId}`) : 'deleted')));
  $('#rows').replaceChildren(...rows);
}

// One row per strategy: the median run and the spread of its runs, so a difference between strategies
// can be read against the noise between runs of the same one. Each figure's exact value is in data-ms.
function renderSummary(comparison) {
  const figure = (key, value) => h('td', { class: 'num', dataset: { cell: key, ms: value ?? '' } }, ms(value));
  const rows = (comparison.summary ?? []).map((s) => h('tr', { 'data-testid': 'summary-row', dataset: { strategy: s.strategy } },
    h('th', { scope: 'row' }, s.strategy),
    h('td', { class: 'num', dataset: { cell: 'runs' } }, s.runs),
    figure('median-perceived', s.medianPerceivedMs), figure('min-perceived', s.minPerceivedMs), figure('max-perceived', s.maxPerceivedMs),
    figure('median-actual', s.medianActualMs), figure('min-actual', s.minActualMs), figure('max-actual', s.maxActualMs),
    h('td', { dataset: { cell: 'median-run' } }, s.medianPageLoadId
      ? h('a', { href: `/page-loads/${s.medianPageLoadId}` }, `run ${s.medianRun}, load ${s.medianPageLoadId}`)
      : 'none')));
  $('#summary-rows').replaceChildren(...rows);
}

function bar(key, label, value, scale) {
  return h('div', { class: `bar-line bar-${key}` },
    h('span', { class: 'bar-name' }, label),
    h('span', { class: 'bar-track' }, h('span', { class: 'bar', 'data-bar': key, style: { width: pct(value, scale) } })),
    h('span', { class: 'bar-value' }, ms(value)));
}

async function renderWaterfalls(comparison) {
  const rows = comparison.rows.filter((r) => r.pageLoadId);
  const docs = await Promise.all(rows.map((r) => getPageLoad(r.pageLoadId)));
  const scaleMs = scaleEnd(...docs.map(endOf));
  // Sections go into the page first: the waterfall measures its marker labels to stack them.
  const sections = docs.map((doc, i) => h('section', { class: 'stacked', 'data-testid': 'comparison-waterfall', dataset: { strategy: rows[i].strategy } },
    h('h3', {}, `${rows[i].strategy} `, h('a', { href: `/page-loads/${doc.id}` }, `load ${doc.id}`),
      h('span', { class: 'muted' }, ` · perceived ${ms(doc.metrics?.perceivedMs)}, actual ${ms(doc.metrics?.actualMs)}`)),
    h('div', { class: 'stacked-waterfall' })));
  $('#waterfalls').replaceChildren(legend(), ...sections);
  docs.forEach((doc, i) => renderWaterfall(sections[i].querySelector('.stacked-waterfall'), doc, {
    scaleMs, title: `${rows[i].strategy} waterfall`,
    onSelect: (object) => window.location.assign(`/page-loads/${doc.id}#object-${object.id}`),
  }));
}

async function main() {
  const id = idFromPath();
  try {
    const comparison = await getComparison(id);
    document.title = `${comparison.url} · comparison ${comparison.id} · FetchAgent`;
    $('#comparison-url').textContent = comparison.url;
    $('#comparison-meta').textContent = `${comparison.rows.length} loads, ${comparison.runs} run(s) per strategy`;
    renderSummary(comparison);
    renderTable(comparison);
    await renderWaterfalls(comparison);
  } catch (error) {
    $('#load-error').textContent = error.status === 404 ? `There is no comparison ${id}.` : `Could not read comparison ${id}: ${error.message}`;
    $('#load-error').hidden = false;
  }
}

main();
