// Visual progress: percent of the page visually complete over time (a model from the bytes of
// visible resources as they arrive), with perceived (Speed Index) and actual (onLoad) marked.
import { svg, h, ms, tickStep } from './format.js';

const HEIGHT = 180;
const PAD = { left: 44, top: 26, bottom: 26 };

/**
 * Draws the chart into `container`. Its plot sits in the waterfall's track column and spans `scaleMs`
 * (or the waterfall's zoomed `view`, { from, to }) like the waterfall above it, so a moment reads at the same x in both.
 */
export function renderProgressChart(container, doc, { scaleMs, view = null }) {
  const from = view ? view.from : 0;
  const to = view ? view.to : scaleMs;
  const span = Math.max(to - from, 1e-6);
  const points = [...(doc.visualProgress ?? [])].sort((a, b) => a.ms - b.ms);
  const plot = h('div', { class: 'chart-plot' });
  container.replaceChildren(h('div', { class: 'chart-row' },
    h('p', { class: 'chart-note' },
      'Percent of the page visually complete. A model: the bytes of the document, stylesheets, fonts and images as they arrive; nothing is visible before start render.'),
    plot));
  const plotWidth = Math.max(240, plot.clientWidth || 600);
  const width = PAD.left + plotWidth;
  const x = (t) => PAD.left + ((Math.min(Math.max(t, from), to) - from) / span) * plotWidth;
  const y = (p) => PAD.top + (1 - p / 100) * (HEIGHT - PAD.top - PAD.bottom);
  const m = doc.metrics ?? {};
  const perceived = m.perceivedMs ?? m.speedIndexMs;
  const actual = m.actualMs ?? m.onLoadMs;

  // The y labels hang into the column on the left, so the plot's x = 0 is the track's left edge.
  const chart = svg('svg', {
    class: 'progress-chart', 'data-testid': 'progress-chart', width, height: HEIGHT, viewBox: `0 0 ${width} ${HEIGHT}`, role: 'img',
    style: `margin-left: -${PAD.left}px`,
    'aria-label': `Visual progress: ${points.length} points; perceived ${ms(perceived)}, actual ${ms(actual)}`,
  });
  for (const p of [0, 50, 100]) {
    chart.append(svg('line', { class: 'chart-grid', x1: PAD.left, x2: width, y1: y(p), y2: y(p) }),
      svg('text', { class: 'chart-tick', x: PAD.left - 6, y: y(p) + 4, 'text-anchor': 'end' }, `${p}%`));
  }
  const step = tickStep(span);
  for (let t = Math.ceil(from / step) * step; t <= to + 1e-9; t += step) {
    chart.append(svg('text', { class: 'chart-tick', x: x(t), y: HEIGHT - 8, 'text-anchor': t === from ? 'start' : 'middle' }, ms(t)));
  }
  if (points.length) {
    // A step line: completeness holds its value until the next sample.
    let path = `M ${x(0)} ${y(0)}`;
    for (const p of points) path += ` H ${x(p.ms)} V ${y(p.percent)}`;
    path += ` H ${x(to)}`;
    chart.append(svg('path', { class: 'chart-line', d: path, 'data-testid': 'progress-line' }));
  }
  if (doc.status !== 'running') {
    const inView = (t) => t != null && t >= from && t <= to;
    // Each label on its own line, on the side of its line where there is room.
    const side = (at) => (at > PAD.left + plotWidth * 0.6 ? 'end' : 'start');
    if (inView(perceived)) chart.append(marker('perceived', `Perceived (Speed Index) ${ms(perceived)}`, x(perceived), side(x(perceived)), PAD.top + 8));
    if (inView(actual)) chart.append(marker('actual', `Actual (onLoad) ${ms(actual)}`, x(actual), side(x(actual)), PAD.top - 10));
  }
  plot.append(chart);
  return chart;
}

function marker(key, label, at, anchor, labelY) {
  return svg('g', { class: `chart-marker chart-marker-${key}`, 'data-chart-marker': key },
    svg('line', { x1: at, x2: at, y1: PAD.top - 4, y2: HEIGHT - PAD.bottom }),
    svg('text', { x: anchor === 'end' ? at - 4 : at + 4, y: labelY, 'text-anchor': anchor }, label));
}
