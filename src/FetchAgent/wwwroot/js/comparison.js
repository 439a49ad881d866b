// The comparison view (/comparisons/{id}): strategies side by side, perceived against actual, each strategy's
// median run (WebPageTest's "median run") with its spread and its difference from the best in %, every run on
// demand, a sweep's line chart, and the waterfalls on one time scale. It lays itself out again when the width changes.
import { getComparison, getPageLoad } from './api.js';
import { h, ms, idFromPath, scaleEnd, pct, metric, percentDiff, onWidthChange } from './format.js';
import { renderWaterfall, endOf, legend } from './waterfall.js';
import { renderSweepChart } from './sweep-chart.js';

const $ = (selector) => document.querySelector(selector);
const state = { comparison: null, docs: new Map(), renders: 0 };

/** "persistent" or, in a sweep, "persistent, 4 per host" / "pipelined, depth 2". */
export function variantLabel(strategy, sweepValue, sweep) {
  if (sweepValue === null || sweepValue === undefined || !sweep) return strategy;
  return sweep.option === 'pipelineDepth' ? `${strategy}, depth ${sweepValue}` : `${strategy}, ${sweepValue} per host`;
}

function renderTable(comparison) {
  const scale = scaleEnd(...comparison.rows.flatMap((r) => [r.perceivedMs, r.actualMs]));
  const rows = comparison.rows.map((row) => h('tr', { 'data-testid': 'comparison-row', dataset: { strategy: row.strategy, pageLoadId: row.pageLoadId ?? '', sweepValue: row.sweepValue ?? '' } },
    h('th', { scope: 'row' }, variantLabel(row.strategy, row.sweepValue, comparison.sweep)),
    h('td', { class: 'bars' },
      bar('perceived', 'Perceived', row.perceivedMs, scale),
      bar('actual', 'Actual', row.actualMs, scale)),
    h('td', { class: 'num' }, row.pageLoadId ? ms(row.startRenderMs) : '–'),
    h('td', { class: 'num' }, row.connectionCount),
    h('td', { class: 'num' }, row.reusedRequests),
    h('td', {}, row.pageLoadId ? h('a', { href: `/page-loads/${row.pageLoadId}` }, `load ${row.pageLoadId}`) : 'deleted')));
  $('#rows').replaceChildren(...rows);
}

// One row per strategy: the median run and the spread of its runs, so a difference between strategies
// can be read against the noise between runs of the same one. Each figure's exact value is in data-ms.
// With repeat views (issue 15) each strategy has a second row under its first, compared with the best repeat view.
function renderSummary(comparison) {
  const summary = comparison.summary ?? [];
  const repeats = summary.filter((s) => s.repeatView).map((s) => s.repeatView);
  const bestOf = (list) => {
    const counted = list.filter((s) => s.runs > 0);
    const best = (key) => Math.min(...counted.map((s) => s[key]));
    return { perceived: best('medianPerceivedMs'), actual: best('medianActualMs') };
  };
  const firstBest = bestOf(summary);
  const repeatBest = bestOf(repeats);
  const figure = (key, value, s) => h('td', { class: 'num', dataset: { cell: key, ms: value ?? '' } }, s.runs > 0 ? ms(value) : '–');
  const diff = (key, value, base, s) => h('td', { class: `num diff${s.runs > 0 && value === base ? ' best' : ''}`, dataset: { cell: key, percent: s.runs > 0 && base > 0 ? (((value - base) / base) * 100).toFixed(3) : '' } },
    s.runs > 0 ? (value === base ? 'best' : percentDiff(value, base)) : '–');
  const row = (s, view, best) => h('tr', { 'data-testid': 'summary-row', class: view === 'repeat' ? 'repeat-view' : '', dataset: { strategy: s.strategy, sweepValue: s.sweepValue ?? '', view } },
    h('th', { scope: 'row' }, variantLabel(s.strategy, s.sweepValue, comparison.sweep) + (view === 'repeat' ? ' · repeat view' : '')),
    h('td', { class: 'num', dataset: { cell: 'runs' } }, s.runs),
    figure('median-perceived', s.medianPerceivedMs, s), figure('min-perceived', s.minPerceivedMs, s), figure('max-perceived', s.maxPerceivedMs, s),
    figure('median-actual', s.medianActualMs, s), figure('min-actual', s.minActualMs, s), figure('max-actual', s.maxActualMs, s),
    diff('perceived-vs-best', s.medianPerceivedMs, best.perceived, s), diff('actual-vs-best', s.medianActualMs, best.actual, s),
    h('td', { dataset: { cell: 'median-run' } }, s.medianPageLoadId
      ? h('a', { href: `/page-loads/${s.medianPageLoadId}` }, `run ${s.medianRun}, load ${s.medianPageLoadId}`)
      : 'none'));
  const rows = summary.flatMap((s) => [row(s, 'first', firstBest), ...(s.repeatView ? [row({ ...s.repeatView, sweepValue: s.sweepValue }, 'repeat', repeatBest)] : [])]);
  $('#summary-rows').replaceChildren(...rows);
}

function bar(key, label, value, scale) {
  return h('div', { class: `bar-line bar-${key}` },
    h('span', { class: 'bar-name' }, label),
    h('span', { class: 'bar-track' }, h('span', { class: 'bar', 'data-bar': key, style: { width: pct(value, scale) } })),
    h('span', { class: 'bar-value' }, ms(value)));
}

/** The loads whose waterfalls are shown: each strategy's median run, or every run when asked. */
function shownRows(comparison) {
  const rows = comparison.rows.filter((r) => r.pageLoadId);
  if ($('#all-runs').checked) return rows;
  // The median runs in the summary's order (strategy by strategy), not in the order they ran.
  const medians = (comparison.summary ?? []).map((s) => s.medianPageLoadId).filter(Boolean);
  return medians.map((id) => rows.find((r) => r.pageLoadId === id)).filter(Boolean);
}

/**
 * Draws the shown loads' waterfalls. Renders overlap (the every-run switch, a resize), and each fetches what it
 * lacks: only the latest one draws, so a slower earlier one never puts back what the user switched away from.
 * A load that cannot be read is said in the page, not left as an unhandled rejection and a silent page.
 */
async function renderWaterfalls() {
  const render = ++state.renders;
  const { comparison } = state;
  const rows = shownRows(comparison);
  const missing = rows.filter((r) => !state.docs.has(r.pageLoadId));
  let fetched;
  try {
    fetched = await Promise.all(missing.map((r) => getPageLoad(r.pageLoadId)));
  } catch (error) {
    if (render !== state.renders) return;
    $('#load-error').textContent = `Could not read a load of comparison ${comparison.id}: ${error.message}`;
    $('#load-error').hidden = false;
    return;
  }
  fetched.forEach((doc) => state.docs.set(doc.id, doc));
  if (render !== state.renders) return;
  $('#load-error').hidden = true;
  const docs = rows.map((r) => state.docs.get(r.pageLoadId));
  // One scale for every load of the comparison, shown or not, so switching to every run does not rescale.
  const scaleMs = scaleEnd(...docs.map(endOf), ...comparison.rows.map((r) => r.actualMs));
  const medians = new Set((comparison.summary ?? []).map((s) => s.medianPageLoadId));
  // Sections go into the page first: the waterfall measures its marker labels to stack them.
  const sections = docs.map((doc, i) => h('section', {
    class: 'stacked', 'data-testid': 'comparison-waterfall', dataset: { strategy: rows[i].strategy, pageLoadId: doc.id, median: medians.has(doc.id) ? 'true' : 'false', sweepValue: rows[i].sweepValue ?? '' },
  },
  h('h3', {}, `${variantLabel(rows[i].strategy, rows[i].sweepValue, comparison.sweep)} `, h('a', { href: `/page-loads/${doc.id}` }, `load ${doc.id}`),
    medians.has(doc.id) && comparison.runs > 1 ? h('span', { class: 'median-badge' }, ' median run') : null,
    h('span', { class: 'muted' }, ` · perceived ${metric(doc.metrics?.perceivedMs, doc.status)}, actual ${metric(doc.metrics?.actualMs, doc.status)}`)),
  h('div', { class: 'stacked-waterfall' })));
  $('#waterfalls').replaceChildren(legend(), ...sections);
  docs.forEach((doc, i) => renderWaterfall(sections[i].querySelector('.stacked-waterfall'), doc, {
    scaleMs, title: `${rows[i].strategy} waterfall`,
    onSelect: (object) => window.location.assign(`/page-loads/${doc.id}#object-${object.id}`),
  }));
  document.body.dataset.laidOutAt = String(window.innerWidth);
}

function layout() {
  const { comparison } = state;
  if (comparison.sweep) renderSweepChart($('#sweep-chart'), comparison);
  return renderWaterfalls();
}

async function main() {
  const id = idFromPath();
  try {
    const comparison = await getComparison(id);
    state.comparison = comparison;
    document.title = `${comparison.url} · comparison ${comparison.id} · FetchAgent`;
    $('#comparison-url').textContent = comparison.url;
    $('#comparison-meta').textContent = `${comparison.rows.length} loads, ${comparison.runs} run(s) per strategy`
      + (comparison.sweep ? `, ${comparison.sweep.option} swept over ${comparison.sweep.values.join(', ')}` : '');
    renderSummary(comparison);
    renderTable(comparison);
    if (comparison.runs > 1) {
      // Medians first; every run on demand.
      $('#every-run').open = false;
      $('#all-runs-toggle').hidden = false;
    }
    if (comparison.sweep) {
      $('#sweep').hidden = false;
      $('#sweep-title').textContent = `Perceived and actual against ${comparison.sweep.option === 'pipelineDepth' ? 'pipeline depth' : 'connections per host'} (medians)`;
    }
    $('#all-runs').addEventListener('change', () => renderWaterfalls());
    await layout();
    // Re-lay out when the width changes: the marker labels and the charts are measured in pixels.
    onWidthChange(layout);
  } catch (error) {
    $('#load-error').textContent = error.status === 404 ? `There is no comparison ${id}.` : `Could not read comparison ${id}: ${error.message}`;
    $('#load-error').hidden = false;
  }
}

main();
