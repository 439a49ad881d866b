// The trends page (/trends?url=…): per strategy, perceived and actual of every past load of one URL over
// time, as a line chart, with the medians below.
import { getTrends, ApiError } from './api.js';
import { h, ms, dateTime, onWidthChange } from './format.js';
import { renderLineChart, STRATEGY_COLORS } from './line-chart.js';

const $ = (selector) => document.querySelector(selector);
let trends = null;

function draw() {
  const chart = $('#trends-chart');
  if (!trends || trends.points.length === 0) {
    chart.replaceChildren();
    return;
  }
  const strategies = [...new Set(trends.points.map((p) => p.strategy))];
  const time = (p) => new Date(p.startedAt).getTime();
  const series = strategies.flatMap((strategy) => {
    const points = trends.points.filter((p) => p.strategy === strategy);
    const color = STRATEGY_COLORS[strategy] ?? '#555';
    const at = (p, value, what) => ({ x: time(p), y: value, id: p.pageLoadId, title: `load ${p.pageLoadId}, ${strategy}, ${dateTime(p.startedAt)}: ${what} ${ms(value)}` });
    return [
      { key: `${strategy}-perceived`, label: `${strategy} perceived`, color, dashed: true, points: points.map((p) => at(p, p.perceivedMs, 'perceived')) },
      { key: `${strategy}-actual`, label: `${strategy} actual`, color, dashed: false, points: points.map((p) => at(p, p.actualMs, 'actual')) },
    ];
  });
  const times = trends.points.map(time);
  const first = Math.min(...times);
  const last = Math.max(...times);
  const ticks = first === last ? [first] : [first, first + (last - first) / 2, last];
  const short = (t) => new Date(t).toLocaleString(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' });
  renderLineChart(chart, { series, testId: 'trends-chart', xTicks: ticks.map((t) => ({ x: t, label: short(t) })), label: `Perceived and actual over time for ${trends.url}` });
}

function table() {
  $('#trends-rows').replaceChildren(...trends.strategies.map((s) => {
    const latest = trends.points.filter((p) => p.strategy === s.strategy).at(-1);
    return h('tr', { 'data-testid': 'trend-row', dataset: { strategy: s.strategy } },
      h('th', { scope: 'row' }, s.strategy),
      h('td', { class: 'num' }, s.count),
      h('td', { class: 'num' }, ms(s.medianPerceivedMs)),
      h('td', { class: 'num' }, ms(s.medianActualMs)),
      h('td', { class: 'num' }, s.perceivedToActual.toFixed(2)),
      h('td', {}, latest ? h('a', { href: `/page-loads/${latest.pageLoadId}` }, `load ${latest.pageLoadId}`) : '–'));
  }));
  $('#trends-message').textContent = trends.points.length ? '' : 'No completed loads of this URL yet.';
  $('#trends-message').hidden = trends.points.length > 0;
}

async function show(url) {
  const error = $('#trends-form .field-error');
  error.hidden = true;
  try {
    trends = await getTrends(url);
    document.title = `${url} · trends · FetchAgent`;
    table();
    draw();
  } catch (problem) {
    error.textContent = problem instanceof ApiError && problem.errors.url ? problem.errors.url.join(' ') : problem.message;
    error.hidden = false;
  }
}

function main() {
  const url = new URLSearchParams(window.location.search).get('url');
  $('#trends-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const value = $('#trends-url').value.trim();
    window.history.replaceState(null, '', `/trends?${new URLSearchParams({ url: value })}`);
    show(value);
  });
  onWidthChange(draw);
  if (url) {
    $('#trends-url').value = url;
    show(url);
  }
}

main();
