// ECharts options for the sweep page. Each builder takes plain data and returns an option object;
// the page owns the state and decides when to redraw.
import { fmt, colourScale } from './common.js';

const GRID = { left: 70, right: 30, top: 30, bottom: 50 };
const axisName = (name, extra = {}) => ({ name, nameLocation: 'middle', nameGap: 32, ...extra });

// Loss curves of the given runs, coloured by one axis of the grid.
export function curvesOption(curves, runs, colourBy, logLog) {
  const colour = colourScale(curves.map(c => runs.get(c.index)?.[colourBy]).filter(v => v !== undefined));
  const series = curves.map(c => {
    const run = runs.get(c.index);
    const points = c.steps.map((s, i) => [s, c.loss[i]]).filter(([s, l]) => Number.isFinite(l) && l !== null && (!logLog || (s > 0 && l > 0)));
    return {
      type: 'line', name: run?.run_id ?? String(c.index), id: `run-${c.index}`, data: points, showSymbol: false,
      lineStyle: { width: 1.2, color: run ? colour(run[colourBy]) : '#999', type: { diverged: 'dashed', running: 'dotted', stopped: [2, 3, 8, 3] }[run?.status] ?? 'solid' },
      itemStyle: { color: run ? colour(run[colourBy]) : '#999' }, emphasis: { focus: 'series' }, silent: false,
    };
  });
  // The axis fits the curves that did not diverge; a diverged curve is drawn until it leaves the chart.
  const calm = series.filter((_, i) => runs.get(curves[i].index)?.status !== 'diverged').flatMap(s => s.data.map(p => p[1]));
  const yMax = calm.length ? Math.max(...calm) * 1.2 : undefined;
  return {
    animation: false, grid: GRID,
    tooltip: { trigger: 'item', formatter: p => describe(runs.get(Number(p.seriesId.slice(4))), p.value) },
    xAxis: { type: logLog ? 'log' : 'value', ...axisName('step') },
    // The top of the axis is a computed bound, not a round number: labels are rounded.
    yAxis: { type: logLog ? 'log' : 'value', scale: true, max: yMax, axisLabel: { formatter: v => fmt(v, 4) }, ...axisName('loss', { nameGap: 50 }) },
    series: series.map(s => ({ ...s, clip: true })),
  };
}

function describe(run, value) {
  if (!run) return '';
  return `${run.run_id} · ${run.status}${run.added ? ' · added by refinement' : ''}<br>peak LR ${fmt(run.peak_lr)}, warmup ${run.warmup_steps}, N ${fmt(run.model_size)}, T ${run.total_steps}, ${run.schedule}`
    + (value ? `<br>step ${value[0]}: loss ${fmt(value[1], 5)}` : run.status === 'stopped' ? `<br>stopped; predicted final loss ${fmt(run.predicted_final, 5)}` : `<br>final loss ${fmt(run.final_loss, 5)}`);
}

// Final loss over peak LR × warmup for the runs of one (model size, horizon, schedule), optimum starred.
export function heatmapOption(cellRuns, lrs, warmups) {
  const finite = cellRuns.filter(r => (r.status === 'succeeded' || r.status === 'ingested') && Number.isFinite(r.final_loss));
  const best = finite.reduce((a, r) => (a === null || r.final_loss < a.final_loss ? r : a), null);
  const cell = r => [lrs.indexOf(r.peak_lr), warmups.indexOf(r.warmup_steps)];
  const losses = finite.map(r => r.final_loss);
  const mark = (runs, symbol, colour, name) => ({
    type: 'scatter', name, data: runs.map(r => ({ value: [...cell(r), r.final_loss], run: r })), symbol, symbolSize: 16,
    itemStyle: { color: colour }, z: 3,
  });
  return {
    animation: false, grid: { ...GRID, bottom: 60, right: 100 },
    tooltip: { formatter: p => describe(p.data.run) },
    xAxis: { type: 'category', data: lrs.map(v => fmt(v, 3)), ...axisName('peak LR') },
    yAxis: { type: 'category', data: warmups.map(String), ...axisName('warmup steps', { nameGap: 45 }) },
    visualMap: {
      min: losses.length ? Math.min(...losses) : 0, max: losses.length ? Math.max(...losses) : 1, calculable: true,
      orient: 'vertical', right: 10, top: 'center', inRange: { color: ['#440154', '#365c8d', '#1fa187', '#a0da39', '#fde725'] },
      seriesIndex: 0, formatter: v => fmt(v, 3),
    },
    series: [
      { type: 'heatmap', name: 'final loss', data: finite.map(r => ({ value: [...cell(r), r.final_loss], run: r })), label: { show: false } },
      mark(cellRuns.filter(r => r.status === 'diverged'), 'path://M2,2 L14,14 M14,2 L2,14', '#b54708', 'diverged'),
      mark(cellRuns.filter(r => r.status === 'failed'), 'triangle', '#c01048', 'failed'),
      mark(cellRuns.filter(r => r.status === 'stopped'), 'rect', '#98a2b3', 'stopped early'),
      mark(cellRuns.filter(r => r.added && r.status !== 'stopped'), 'emptyCircle', '#ffffff', 'added by refinement'),
      mark(best ? [best] : [], 'pin', '#e0663f', 'optimum'),
    ],
  };
}

export function scheduleOption(schedule) {
  return {
    animation: false, grid: GRID, tooltip: { trigger: 'axis', valueFormatter: v => fmt(v, 4) },
    xAxis: { type: 'value', ...axisName('step'), max: schedule.total_steps },
    yAxis: { type: 'value', ...axisName('learning rate', { nameGap: 55 }) },
    series: [{ type: 'line', name: 'LR', showSymbol: false, data: schedule.steps.map((s, i) => [s, schedule.lr[i]]), areaStyle: { opacity: 0.15 } }],
  };
}

// Best loss per (N, T): observed points and the Chinchilla prediction, one colour per horizon.
export function chinchillaOptions(points) {
  const horizons = [...new Set(points.map(p => p.total_steps))].sort((a, b) => a - b);
  const colour = colourScale(horizons);
  const perHorizon = (f, extra) => horizons.map(t => ({
    name: `T ${t}`, itemStyle: { color: colour(t) }, lineStyle: { color: colour(t) },
    data: points.filter(p => p.total_steps === t).sort((a, b) => a.model_size - b.model_size).map(f), ...extra(t),
  }));
  const fit = {
    animation: false, grid: GRID, legend: { top: 0 }, tooltip: { trigger: 'item', valueFormatter: v => fmt(v, 5) },
    xAxis: { type: 'log', ...axisName('model size N') }, yAxis: { type: 'value', scale: true, ...axisName('loss', { nameGap: 50 }) },
    series: [
      ...perHorizon(p => [p.model_size, p.observed], () => ({ type: 'scatter', symbolSize: 9 })),
      ...perHorizon(p => [p.model_size, p.predicted], () => ({ type: 'line', showSymbol: false, tooltip: { show: false } })),
    ],
  };
  const residuals = {
    animation: false, grid: GRID, legend: { top: 0 }, tooltip: { trigger: 'item', valueFormatter: v => fmt(v, 4) },
    xAxis: { type: 'log', ...axisName('model size N') }, yAxis: { type: 'value', ...axisName('residual', { nameGap: 55 }) },
    series: perHorizon(p => [p.model_size, p.observed - p.predicted], () => ({ type: 'scatter', symbolSize: 9, markLine: { silent: true, symbol: 'none', data: [{ yAxis: 0 }] } })),
  };
  return { fit, residuals };
}

// Each scale's optimal peak LR (hollow when at the grid's edge) and the fitted η*(N, T) lines.
export function optimalLrOption(optima, lines) {
  const horizons = [...new Set(optima.map(o => o.total_steps))].sort((a, b) => a - b);
  const colour = colourScale(horizons);
  return {
    animation: false, grid: GRID, legend: { top: 0 }, tooltip: { trigger: 'item', valueFormatter: v => fmt(v, 4) },
    xAxis: { type: 'log', ...axisName('model size N') }, yAxis: { type: 'log', ...axisName('optimal peak LR', { nameGap: 55 }) },
    series: [
      ...horizons.map(t => ({
        type: 'scatter', name: `T ${t}`, symbolSize: 10, itemStyle: { color: colour(t) },
        data: optima.filter(o => o.total_steps === t).map(o => ({
          value: [o.model_size, o.peak_lr], itemStyle: o.at_grid_edge ? { color: 'transparent', borderColor: colour(t), borderWidth: 2 } : undefined,
        })),
      })),
      ...lines.map(l => ({
        type: 'line', name: `T ${l.total_steps}`, showSymbol: false, lineStyle: { color: colour(l.total_steps) }, tooltip: { show: false },
        data: l.model_size.map((n, i) => [n, l.peak_lr[i]]),
      })),
    ],
  };
}

// A curve law's prediction (lines) over the observed points of its scope's runs.
export function curveLawOption(chart) {
  const colour = colourScale(chart.runs.map(r => `${r.schedule} T${r.total_steps}`));
  return {
    animation: false, grid: GRID, legend: { top: 0, type: 'scroll' }, tooltip: { trigger: 'item', valueFormatter: v => fmt(v, 5) },
    xAxis: { type: 'value', ...axisName('step') }, yAxis: { type: 'value', scale: true, ...axisName('loss', { nameGap: 50 }) },
    series: chart.runs.flatMap(r => {
      const name = `${r.schedule} T${r.total_steps}`, c = colour(name);
      return [
        { type: 'scatter', name, symbolSize: 4, itemStyle: { color: c, opacity: 0.6 }, data: r.steps.map((s, i) => [s, r.observed[i]]) },
        { type: 'line', name, showSymbol: false, lineStyle: { color: c, width: 2 }, data: r.steps.map((s, i) => [s, r.predicted[i]]) },
      ];
    }),
  };
}

// The swept scales' optimal peak LRs and fitted lines, with the prediction at the new scale beside them:
// a diamond at the recommended peak LR and a bar over its interval.
export function predictionLrOption(optima, lines, prediction) {
  const option = optimalLrOption(optima, lines);
  const n = prediction.model_size, interval = prediction.optimal_peak_lr_interval || [];
  // The sweep's power law η* = c·N^a·T^b at the target's horizon, dashed from the smallest swept size to the target.
  const minima = (prediction.peak_lr_answers || []).find(a => a.method === 'sweep_minima')?.coefficients;
  if (minima && optima.length) {
    const from = Math.min(...optima.map(o => o.model_size));
    const sizes = Array.from({ length: 24 }, (_, i) => from * Math.pow(n / from, i / 23));
    option.series.push({
      type: 'line', name: `η*(N, T ${prediction.total_steps})`, showSymbol: false, tooltip: { show: false },
      lineStyle: { color: '#c01048', type: 'dashed' },
      data: sizes.map(size => [size, minima.c * Math.pow(size, minima.a) * Math.pow(prediction.total_steps, minima.b)]),
    });
  }
  option.series.push({
    type: 'scatter', name: `predicted, T ${prediction.total_steps}`, symbol: 'diamond', symbolSize: 16,
    itemStyle: { color: '#c01048' }, data: [[n, prediction.optimal_peak_lr]],
  });
  if (interval.length === 2 && interval.every(v => v !== null)) {
    option.series.push({
      type: 'line', name: `predicted, T ${prediction.total_steps}`, showSymbol: false, tooltip: { show: false },
      lineStyle: { color: '#c01048', width: 3 }, data: [[n, interval[0]], [n, interval[1]]],
    });
  }
  return option;
}
