// Helpers shared by the dashboard's pages: JSON fetches, number formats, colour scales.

export async function getJson(url) {
  const response = await fetch(url, { headers: { Accept: 'application/json' } });
  if (!response.ok) {
    throw new Error(`${url}: HTTP ${response.status}`);
  }
  return response.json();
}

export function fmt(value, digits = 4) {
  if (value === null || value === undefined || Number.isNaN(value)) return '–';
  if (typeof value !== 'number') return String(value);
  if (Number.isInteger(value) && Math.abs(value) < 1e7) return String(value); // model sizes, steps: exact
  if (value !== 0 && (Math.abs(value) < 1e-3 || Math.abs(value) >= 1e5)) return value.toExponential(digits - 1);
  return Number(value.toPrecision(digits)).toString();
}

export function fmtTime(iso) {
  if (!iso) return '–';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) || date.getFullYear() < 2000 ? '–' : date.toLocaleString();
}

export function fmtDuration(seconds) {
  if (!Number.isFinite(seconds) || seconds < 0) return '–';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
  return h > 0 ? `${h}h ${m}m` : m > 0 ? `${m}m ${r}s` : `${r}s`;
}

export function finishedOf(report) {
  const c = report.counts || {};
  return (c.succeeded || 0) + (c.diverged || 0) + (c.failed || 0) + (c.ingested || 0) + (c.stopped || 0);
}

export function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, ch => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[ch]));
}

// Viridis anchors: a perceptually even scale for a numeric axis (low = purple, high = yellow).
const VIRIDIS = ['#440154', '#46327e', '#365c8d', '#277f8e', '#1fa187', '#4ac16d', '#a0da39', '#fde725'];
const CATEGORICAL = ['#3559e0', '#e0663f', '#1a9e77', '#b83dba', '#d4a017', '#4bb3d4', '#8c564b', '#e377c2'];

function mix(a, b, t) {
  const pa = parseInt(a.slice(1), 16), pb = parseInt(b.slice(1), 16);
  const channel = shift => Math.round(((pa >> shift) & 255) * (1 - t) + ((pb >> shift) & 255) * t);
  return `rgb(${channel(16)},${channel(8)},${channel(0)})`;
}

// A colour for each distinct value of an axis: numeric axes on a log (or linear) viridis scale, others categorical.
export function colourScale(values) {
  const distinct = [...new Set(values)];
  if (distinct.every(v => typeof v === 'number')) {
    const positive = distinct.every(v => v > 0);
    const t = v => (positive ? Math.log(v) : v);
    const lo = Math.min(...distinct.map(t)), hi = Math.max(...distinct.map(t));
    return v => {
      const x = hi > lo ? (t(v) - lo) / (hi - lo) : 0.5;
      const pos = x * (VIRIDIS.length - 1), i = Math.min(VIRIDIS.length - 2, Math.floor(pos));
      return mix(VIRIDIS[i], VIRIDIS[i + 1], pos - i);
    };
  }
  const sorted = distinct.map(String).sort();
  return v => CATEGORICAL[sorted.indexOf(String(v)) % CATEGORICAL.length];
}
