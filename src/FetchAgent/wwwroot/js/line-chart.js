// A small SVG line chart (no library): series of points on a shared x and y, with axes, ticks and a legend.
// Used by the sweep (ms against an option's value) and the trends page (ms against time).
import { svg, h, ms, tickStep } from './format.js';

const PAD = { left: 56, right: 16, top: 14, bottom: 34 };

/**
 * series: [{ key, label, color, dashed, points: [{ x, y, title, id }] }]; xTicks: [{ x, label }] (or made from the
 * range); the chart fills the container's width. Each point is a circle with data-series, data-x and data-y.
 */
export function renderLineChart(container, { series, xTicks = null, height = 260, label, testId = 'line-chart' }) {
  const width = Math.max(320, container.clientWidth || 640);
  const points = series.flatMap((s) => s.points);
  const xs = points.map((p) => p.x);
  const xMin = Math.min(...xs);
  const xMax = Math.max(...xs);
  const yMax = Math.max(1, ...points.map((p) => p.y)) * 1.08;
  const plotW = width - PAD.left - PAD.right;
  const plotH = height - PAD.top - PAD.bottom;
  const x = (v) => PAD.left + (xMax === xMin ? plotW / 2 : ((v - xMin) / (xMax - xMin)) * plotW);
  const y = (v) => PAD.top + (1 - v / yMax) * plotH;
  const chart = svg('svg', { class: 'line-chart', 'data-testid': testId, width, height, viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': label });
  const yStep = tickStep(yMax, 5);
  for (let v = 0; v <= yMax; v += yStep) {
    chart.append(svg('line', { class: 'chart-grid', x1: PAD.left, x2: width - PAD.right, y1: y(v), y2: y(v) }),
      svg('text', { class: 'chart-tick', x: PAD.left - 6, y: y(v) + 4, 'text-anchor': 'end' }, ms(v)));
  }
  for (const tick of xTicks ?? []) {
    // The end labels are anchored inward, so they are never cut off at the chart's edges.
    const at = x(tick.x);
    const anchor = at - PAD.left < 40 && xMax !== xMin ? 'start' : width - PAD.right - at < 40 && xMax !== xMin ? 'end' : 'middle';
    chart.append(svg('text', { class: 'chart-tick', x: at, y: height - PAD.bottom + 16, 'text-anchor': anchor }, tick.label));
  }
  chart.append(svg('line', { class: 'chart-axis', x1: PAD.left, x2: width - PAD.right, y1: y(0), y2: y(0) }));
  for (const s of series) {
    const sorted = [...s.points].sort((a, b) => a.x - b.x);
    if (sorted.length > 1) {
      chart.append(svg('path', {
        class: 'chart-series', d: sorted.map((p, i) => `${i ? 'L' : 'M'} ${x(p.x)} ${y(p.y)}`).join(' '),
        stroke: s.color, 'stroke-dasharray': s.dashed ? '6 4' : null, 'data-series': s.key,
      }));
    }
    for (const p of sorted) {
      chart.append(svg('circle', {
        class: 'chart-point', cx: x(p.x), cy: y(p.y), r: 3.5, fill: s.color, 'data-series': s.key, 'data-x': p.x, 'data-y': p.y, 'data-id': p.id ?? null,
      }, svg('title', {}, p.title ?? `${s.label}: ${ms(p.y)}`)));
    }
  }
  const key = h('ul', { class: 'legend chart-legend' }, series.map((s) => h('li', {},
    h('span', { class: `swatch${s.dashed ? ' dashed' : ''}`, style: { background: s.dashed ? 'transparent' : s.color, borderColor: s.color } }), s.label)));
  container.replaceChildren(chart, key);
  return chart;
}

/** A colour per strategy, the same on every chart. */
export const STRATEGY_COLORS = { serial: '#d17a00', parallel: '#2a9d9f', persistent: '#1f5fbf', pipelined: '#7b4bd1' };
