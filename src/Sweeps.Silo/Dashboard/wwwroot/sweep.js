// One sweep, live: the event stream (/api/sweeps/ID/events) brings finished runs, the status and the
// curves so far of running runs; finished curves, schedules and law charts are fetched from the JSON
// API as they become available.
import { getJson, fmt, fmtDuration, finishedOf, escapeHtml } from './common.js';
import { curvesOption, heatmapOption, scheduleOption, chinchillaOptions, optimalLrOption, curveLawOption, predictionLrOption } from './sweep-charts.js';

const MAX_CURVES = 300;       // curves drawn: the first runs to finish, beyond that a note says how many
const CURVES_PER_FETCH = 100; // the API's limit per request
const REDRAW_MS = 500;

const id = decodeURIComponent(location.pathname.split('/').pop());
const base = `/api/sweeps/${encodeURIComponent(id)}`;
const $ = selector => document.querySelector(selector);
const charts = {};
const chart = name => (charts[name] ??= echarts.init(document.getElementById(name)));

const runs = new Map();     // grid index → run row
const curves = new Map();   // grid index → curve
const wanted = [];          // finished runs whose curves are still to fetch
let live = [];              // running runs: {run, step, steps, loss, lr, log_tail}, replaced by each live event
let report = null;
let selectedRun = null;
let userSelected = false;   // until the user picks a run, the schedule chart follows the best run
let lawsShownFor = null;    // the fits drawn (their JSON), so the charts are redrawn only when the fits change
const rateWindow = [];      // (time, finished) over the last seconds, for the rate

window.addEventListener('resize', () => Object.values(charts).forEach(c => c.resize()));
$('#sweep-id').textContent = id;

// ---- the live stream -------------------------------------------------------------------------
function connect() {
  const events = new EventSource(`${base}/events`);
  events.addEventListener('runs', e => onRuns(JSON.parse(e.data)));
  events.addEventListener('status', e => onStatus(JSON.parse(e.data)));
  events.addEventListener('live', e => { live = JSON.parse(e.data).runs; scheduleRedraw(); });
  events.addEventListener('end', () => { events.close(); live = []; scheduleRedraw(); $('#connection').textContent = 'sweep ended'; });
  events.addEventListener('error', e => {
    if (e.data) { // the silo's own error event: an unknown sweep
      events.close();
      $('#error').textContent = JSON.parse(e.data).error;
    } else {
      $('#connection').textContent = 'reconnecting…';
    }
  });
  events.addEventListener('open', () => { $('#connection').textContent = 'live'; });
}

function onRuns(message) {
  if (message.reset) {
    runs.clear();
    wanted.length = 0;
  }
  for (const row of message.runs) {
    if (!runs.has(row.index) && !curves.has(row.index) && curves.size + wanted.length < MAX_CURVES && row.status !== 'failed') {
      wanted.push(row.index);
    }
    runs.set(row.index, row);
  }
  suggestTarget();
  scheduleRedraw();
}

function onStatus(status) {
  report = status;
  const finished = finishedOf(status);
  const now = performance.now() / 1000;
  rateWindow.push([now, finished]);
  while (rateWindow.length > 2 && now - rateWindow[0][0] > 10) rateWindow.shift();
  const [t0, f0] = rateWindow[0];
  const ended = status.state === 'completed' || status.state === 'cancelled';
  // Live: the last ten seconds; once ended, the whole sweep's average.
  const rate = ended ? (status.elapsed_seconds > 0 ? finished / status.elapsed_seconds : 0) : now > t0 ? (finished - f0) / (now - t0) : 0;
  const percent = status.total_runs > 0 ? (100 * finished) / status.total_runs : 100;
  const c = status.counts;

  document.title = `${status.name} · Sweeps`;
  $('#sweep-name').textContent = status.name;
  const state = $('#sweep-state');
  state.textContent = status.state;
  state.className = `state ${status.state}`;
  $('#progress-bar').style.width = `${percent.toFixed(1)}%`;
  const text = $('#progress-text');
  text.dataset.finished = finished;
  text.dataset.total = status.total_runs;
  const eta = rate > 0 && finished < status.total_runs ? `, about ${fmtDuration((status.total_runs - finished) / rate)} left` : '';
  text.textContent = `${finished} / ${status.total_runs} runs (${percent.toFixed(0)}%) · ${rate.toFixed(1)} runs/s${eta} · elapsed ${fmtDuration(status.elapsed_seconds)}`;
  $('#counts').innerHTML = ['succeeded', 'diverged', 'failed', ...(c.stopped ? ['stopped'] : []), 'running', 'pending', ...(c.ingested ? ['ingested'] : [])]
    .map(s => `<span class="${s}">${s} <b>${c[s] ?? 0}</b></span>`).join('')
    + (status.resumed_runs ? `<span class="muted">resumed ${status.resumed_runs}</span>` : '')
    + (status.reused_runs ? `<span class="muted">reused from other sweeps ${status.reused_runs}</span>` : '')
    + (status.added_runs ? `<span class="added">added by refinement ${status.added_runs}</span>` : '')
    + (status.duplicate_results ? `<span class="muted">duplicates ${status.duplicate_results}</span>` : '');
  const best = status.best_run_index !== null ? runs.get(status.best_run_index) : null;
  $('#best').innerHTML = best
    ? `Best so far: <b>${fmt(status.best_final_loss, 5)}</b> at peak LR ${fmt(best.peak_lr)}, warmup ${best.warmup_steps}, N ${fmt(best.model_size)}, T ${best.total_steps}, ${escapeHtml(best.schedule)} (${best.run_id})`
    : '';
  if (!userSelected && status.best_run_index !== null && status.best_run_index !== selectedRun) selectRun(status.best_run_index);
  showFits(status);
  scheduleRedraw();
}

// ---- drawing ---------------------------------------------------------------------------------
let redrawPending = false;
function scheduleRedraw() {
  if (redrawPending) return;
  redrawPending = true;
  setTimeout(async () => {
    redrawPending = false;
    await fetchCurves();
    drawCurves();
    drawHeatmap();
    drawProblems();
    drawRunningLogs();
  }, REDRAW_MS);
}

async function fetchCurves() {
  while (wanted.length > 0) {
    const batch = wanted.splice(0, CURVES_PER_FETCH);
    try {
      const answer = await getJson(`${base}/curves?runs=${batch.join(',')}`);
      for (const c of answer.curves) curves.set(c.index, c);
    } catch (e) {
      $('#error').textContent = `curves: ${e.message}`;
      return;
    }
  }
}

function drawCurves() {
  const shown = [...curves.values()].filter(c => runs.has(c.index));
  // Running runs are drawn dotted until they finish; a run that has finished since is drawn as finished.
  const running = live.filter(l => !runs.has(l.run.index));
  const all = new Map(runs);
  for (const l of running) all.set(l.run.index, l.run);
  const drawn = [...shown, ...running.map(l => ({ index: l.run.index, steps: l.steps, loss: l.loss, lr: l.lr }))];
  chart('curves-chart').setOption(curvesOption(drawn, all, $('#colour-by').value, $('#log-log').checked), { notMerge: true });
  $('#curves-chart').dataset.running = running.length;
  const finished = [...runs.values()].filter(r => r.status !== 'failed').length;
  $('#curves-shown').textContent = (finished > shown.length ? `${shown.length} of ${finished} curves` : `${shown.length} curves`)
    + (running.length ? `, ${running.length} running (dotted)` : '');
}

const distinct = (values, order = (a, b) => a - b) => [...new Set(values)].sort(order);

// Options of a select; its value stays the user's choice (data-chosen), else follows `preferred`.
function fillSelect(select, values, label = v => String(v), preferred = undefined) {
  const options = values.map(v => `<option value="${escapeHtml(String(v))}">${escapeHtml(label(v))}</option>`).join('');
  const current = select.dataset.chosen ?? (preferred === undefined ? select.value : String(preferred));
  if (select.dataset.options !== options) {
    select.innerHTML = options;
    select.dataset.options = options;
  }
  if (values.map(String).includes(current)) select.value = current;
}

function drawHeatmap() {
  const all = [...runs.values()];
  // Until the user picks one, the heatmap shows the slice of the best run so far.
  const best = report?.best_run_index != null ? runs.get(report.best_run_index) : undefined;
  fillSelect($('#heat-model-size'), distinct(all.map(r => r.model_size)), v => fmt(v), best?.model_size);
  fillSelect($('#heat-horizon'), distinct(all.map(r => r.total_steps)), undefined, best?.total_steps);
  fillSelect($('#heat-schedule'), distinct(all.map(r => r.schedule), undefined), undefined, best?.schedule);
  const n = Number($('#heat-model-size').value), t = Number($('#heat-horizon').value), s = $('#heat-schedule').value;
  const cellRuns = all.filter(r => r.model_size === n && r.total_steps === t && r.schedule === s);
  const lrs = distinct(all.map(r => r.peak_lr)), warmups = distinct(all.map(r => r.warmup_steps));
  chart('heatmap').setOption(heatmapOption(cellRuns, lrs, warmups), { notMerge: true });
  $('#heatmap').dataset.cells = cellRuns.length;
}

const FAILURES_EXPLAINED = 50;  // failed and stopped runs whose error or stopping decision is fetched (/api/sweeps/ID/runs/I)
const failures = new Map();      // grid index → {error, log_tail, stop}, or null while it is fetched
const explained = r => r.status === 'failed' || r.status === 'stopped';

function drawProblems() {
  const problems = [...runs.values()].filter(r => r.status === 'diverged' || explained(r)).sort((a, b) => a.index - b.index);
  for (const r of problems.filter(r => explained(r) && !failures.has(r.index)).slice(0, FAILURES_EXPLAINED - failures.size)) {
    failures.set(r.index, null);
    getJson(`${base}/runs/${r.index}`).then(answer => { failures.set(r.index, answer); drawProblems(); }).catch(() => failures.delete(r.index));
  }
  const why = r => {
    const f = failures.get(r.index);
    if (!explained(r) || !f) return '';
    if (f.stop) return `stopped at step ${f.stop.step} by rule ${escapeHtml(f.stop.rule)}: ${escapeHtml(f.stop.reason)}`;
    const tail = (f.log_tail || []).slice(-3).map(escapeHtml).join('<br>');
    return `${escapeHtml(f.error || '')}${tail ? `<div class="muted">${tail}</div>` : ''}`;
  };
  $('#problem-runs tbody').innerHTML = problems.slice(0, 200).map(r => `<tr class="${r.status}">
    <td>${r.run_id}</td><td>${r.status}${r.status === 'stopped' && Number.isFinite(r.predicted_final) ? `<div class="muted">predicted ${fmt(r.predicted_final, 5)}</div>` : ''}</td><td class="num">${fmt(r.peak_lr)}</td><td class="num">${r.warmup_steps}</td>
    <td class="num">${fmt(r.model_size)}</td><td class="num">${r.total_steps}</td><td>${escapeHtml(r.schedule)}</td><td class="${r.status === 'stopped' ? 'muted' : 'error'}">${why(r)}</td></tr>`).join('');
  $('#no-problems').classList.toggle('hidden', problems.length > 0);
}

// A command run's log while it runs (log_tail is null for simulated runs, which have none).
function drawRunningLogs() {
  const logging = live.filter(l => l.log_tail);
  $('#running-logs-section').classList.toggle('hidden', logging.length === 0);
  $('#running-logs tbody').innerHTML = logging.map(l => { const r = l.run; return `<tr>
    <td>${r.run_id}</td><td class="num">${l.step} / ${r.total_steps}</td><td class="num">${fmt(r.peak_lr)}</td><td class="num">${r.warmup_steps}</td>
    <td class="num">${fmt(r.model_size)}</td><td class="num">${r.total_steps}</td><td>${escapeHtml(r.schedule)}</td>
    <td class="log">${l.log_tail.slice(-3).map(escapeHtml).join('<br>')}</td></tr>`; }).join('');
}

async function selectRun(index) {
  selectedRun = index;
  try {
    const schedule = await getJson(`${base}/runs/${index}/schedule`);
    const run = runs.get(index);
    $('#selected-run').textContent = `${schedule.run_id}: ${schedule.schedule}, peak LR ${fmt(schedule.peak_lr)}, warmup ${schedule.warmup_steps}, `
      + `${schedule.total_steps} steps` + (run ? `, N ${fmt(run.model_size)}, ${run.status}, final loss ${fmt(run.final_loss, 5)}` : '');
    chart('schedule-chart').setOption(scheduleOption(schedule), { notMerge: true });
  } catch (e) {
    $('#error').textContent = `schedule: ${e.message}`;
  }
}

// ---- laws ------------------------------------------------------------------------------------
function coefficients(fit) {
  return Object.entries(fit.params).map(([name, value]) => {
    const interval = fit.intervals?.[name];
    return `<span class="coefficient">${escapeHtml(name)} = ${fmt(value)}` + (interval ? ` <span class="muted">[${fmt(interval[0])}, ${fmt(interval[1])}]</span>` : '') + '</span>';
  }).join(' ');
}

async function showFits(status) {
  const key = JSON.stringify(status.fits);
  if (!status.fits.length || key === lawsShownFor) return;
  lawsShownFor = key;
  $('#laws-section').classList.remove('hidden');
  $('#coefficients tbody').innerHTML = status.fits.map(f => `<tr><td>${escapeHtml(f.law)}</td>
    <td>${Object.entries(f.scope || {}).map(([k, v]) => `${escapeHtml(k)} ${fmt(v)}`).join(', ') || 'all runs'}</td>
    <td>${coefficients(f) || '–'}</td><td class="num">${fmt(f.metrics?.r2)}</td><td class="num">${f.points}</td>
    <td class="muted">${(f.warnings || []).map(escapeHtml).join('; ')}</td></tr>`).join('');
  try {
    const laws = await getJson(`${base}/laws`);
    const { fit, residuals } = chinchillaOptions(laws.chinchilla);
    chart('chinchilla-chart').setOption(fit, { notMerge: true });
    chart('residual-chart').setOption(residuals, { notMerge: true });
    $('#chinchilla-chart').dataset.points = laws.chinchilla.length;
    chart('optimal-lr-chart').setOption(optimalLrOption(laws.optimal_lr, laws.optimal_lr_lines), { notMerge: true });
    $('#optimal-lr-chart').dataset.points = laws.optimal_lr.length;
    fillSelect($('#curve-fit'), laws.curve_fits.map(f => f.fit), i => {
      const f = laws.curve_fits.find(c => c.fit === i);
      return `${f.law}: ${Object.entries(f.scope).map(([k, v]) => `${k} ${fmt(v)}`).join(', ')}`;
    });
    $('#curve-fit').closest('div').parentElement.classList.toggle('hidden', laws.curve_fits.length === 0);
    if (laws.curve_fits.length) await drawCurveLaw();
  } catch (e) {
    $('#error').textContent = `laws: ${e.message}`;
  }
}

async function drawCurveLaw() {
  const fit = $('#curve-fit').value;
  if (fit === '') return;
  chart('curve-law-chart').setOption(curveLawOption(await getJson(`${base}/laws/curves/${fit}`)), { notMerge: true });
}

// ---- prediction at a new scale ----------------------------------------------------------------
// Suggests 8× the largest swept size and horizon until the user types; the answer is drawn beside the
// swept optima and its optimal schedule charted.
function suggestTarget() {
  const all = [...runs.values()];
  if (!all.length) return;
  for (const [input, value] of [['#predict-model-size', 8 * Math.max(...all.map(r => r.model_size))], ['#predict-total-steps', 8 * Math.max(...all.map(r => r.total_steps))]]) {
    if (!$(input).dataset.typed) $(input).value = fmt(value);
  }
}

async function predict(event) {
  event.preventDefault();
  const query = new URLSearchParams({ model_size: $('#predict-model-size').value.trim(), total_steps: $('#predict-total-steps').value.trim() });
  if ($('#predict-warmup').value.trim()) query.set('warmup_steps', $('#predict-warmup').value.trim());
  $('#predict-button').disabled = true;
  $('#predict-status').textContent = 'fitting…';
  try {
    const response = await fetch(`${base}/predict?${query}`, { headers: { Accept: 'application/json' } });
    const body = await response.json();
    if (!response.ok) throw new Error(body.error || `HTTP ${response.status}`);
    const laws = await getJson(`${base}/laws`);
    showPrediction(body, laws);
    $('#predict-status').textContent = `from ${body.runs} finished runs`;
  } catch (e) {
    $('#predict-status').textContent = '';
    $('#error').textContent = `predict: ${e.message}`;
  } finally {
    $('#predict-button').disabled = false;
  }
}

function showPrediction(body, laws) {
  const p = body.prediction, interval = p.optimal_peak_lr_interval || [];
  const rows = [
    ['recommended peak LR', `${fmt(p.optimal_peak_lr)}` + (interval[0] !== null && interval.length ? ` <span class="muted">[${fmt(interval[0])}, ${fmt(interval[1])}]</span>` : '')],
    ['warmup', `${p.warmup_steps} steps`],
    ...Object.entries(p.predicted_final_loss).map(([schedule, loss]) => [`final loss, ${escapeHtml(schedule)}`, fmt(loss, 5)
      + (p.optimal_peak_lr_by_schedule?.[schedule] ? ` <span class="muted">(its own best peak LR ${fmt(p.optimal_peak_lr_by_schedule[schedule])})</span>` : '')]),
    ...p.peak_lr_answers.map(a => [`peak LR by ${escapeHtml(a.method)}`, fmt(a.peak_lr) + (a.interval?.[0] !== null && a.interval?.length ? ` <span class="muted">[${fmt(a.interval[0])}, ${fmt(a.interval[1])}]</span>` : '')]),
    ['divergence risk', `${escapeHtml(p.divergence_risk.level)} <span class="muted">${escapeHtml(p.divergence_risk.explanation)}</span>`],
  ];
  $('#predict-table tbody').innerHTML = rows.map(([k, v]) => `<tr><th>${k}</th><td>${v}</td></tr>`).join('');
  $('#predict-warnings').innerHTML = p.warnings.map(w => `<li>${escapeHtml(w)}</li>`).join('');
  $('#predict-result').classList.remove('hidden');
  chart('predict-lr-chart').setOption(predictionLrOption(laws.optimal_lr, laws.optimal_lr_lines, p), { notMerge: true });
  $('#predict-lr-chart').dataset.predicted = p.optimal_peak_lr;
  chart('predict-schedule-chart').setOption(scheduleOption({ ...body.optimal_schedule, total_steps: p.total_steps }), { notMerge: true });
  $('#predict-schedule-chart').dataset.points = body.optimal_schedule.steps.length;
  Object.values(charts).forEach(c => c.resize());
}

// ---- controls --------------------------------------------------------------------------------
$('#predict-form').addEventListener('submit', predict);
['#predict-model-size', '#predict-total-steps'].forEach(s => $(s).addEventListener('input', e => { e.target.dataset.typed = '1'; }));
$('#colour-by').addEventListener('change', drawCurves);
$('#log-log').addEventListener('change', drawCurves);
['#heat-model-size', '#heat-horizon', '#heat-schedule'].forEach(s => $(s).addEventListener('change', e => {
  e.target.dataset.chosen = e.target.value;
  drawHeatmap();
}));
$('#curve-fit').addEventListener('change', drawCurveLaw);
const pick = index => { userSelected = true; selectRun(index); };
chart('curves-chart').on('click', p => pick(Number(p.seriesId.slice(4))));
chart('heatmap').on('click', p => p.data?.run && pick(p.data.run.index));

connect();
