// A sweep's line chart: each strategy's median perceived (dashed) and actual (solid) against the swept
// option's values (connections per host, or pipeline depth), so the knee of the curve shows.
import { renderLineChart, STRATEGY_COLORS } from './line-chart.js';
import { ms } from './format.js';

export function renderSweepChart(container, comparison) {
  const { sweep } = comparison;
  const counted = (comparison.summary ?? []).filter((s) => s.runs > 0 && s.sweepValue !== null);
  const strategies = [...new Set(counted.map((s) => s.strategy))];
  const name = sweep.option === 'pipelineDepth' ? 'depth' : 'per host';
  const series = strategies.flatMap((strategy) => {
    const rows = counted.filter((s) => s.strategy === strategy);
    const color = STRATEGY_COLORS[strategy] ?? '#555';
    return [
      { key: `${strategy}-perceived`, label: `${strategy} perceived`, color, dashed: true, points: rows.map((s) => ({ x: s.sweepValue, y: s.medianPerceivedMs, title: `${strategy}, ${s.sweepValue} ${name}: perceived ${ms(s.medianPerceivedMs)}` })) },
      { key: `${strategy}-actual`, label: `${strategy} actual`, color, dashed: false, points: rows.map((s) => ({ x: s.sweepValue, y: s.medianActualMs, title: `${strategy}, ${s.sweepValue} ${name}: actual ${ms(s.medianActualMs)}` })) },
    ];
  });
  return renderLineChart(container, {
    series, testId: 'sweep-chart',
    xTicks: sweep.values.map((v) => ({ x: v, label: `${v} ${name}` })),
    label: `Median perceived and actual ms against ${sweep.option}`,
  });
}
