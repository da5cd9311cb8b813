// The front page: every sweep of the cluster and the silos' health, refreshed every two seconds.
import { getJson, fmt, fmtTime, fmtDuration, finishedOf, escapeHtml } from './common.js';

const REFRESH_MS = 2000;

function sweepRow(s) {
  const finished = finishedOf(s);
  const percent = s.total_runs > 0 ? (100 * finished) / s.total_runs : 100;
  const c = s.counts || {};
  return `<tr data-id="${escapeHtml(s.id)}">
    <td><a href="/sweeps/${encodeURIComponent(s.id)}">${escapeHtml(s.name)}</a><br><span class="muted">${escapeHtml(s.id)}</span></td>
    <td><span class="state ${s.state}">${s.state}</span></td>
    <td><div class="bar"><div style="width:${percent.toFixed(1)}%"></div></div></td>
    <td class="num">${finished} / ${s.total_runs}</td>
    <td>${fmtTime(s.started_at)}</td>
    <td>${fmtDuration(s.elapsed_seconds)}</td>
    <td class="num">${fmt(s.best_final_loss, 5)}</td>
    <td class="num"><span class="diverged">${c.diverged || 0}</span> / <span class="failed">${c.failed || 0}</span>${c.stopped ? ` <span class="stopped">(${c.stopped} stopped)</span>` : ''}</td>
  </tr>`;
}

function siloRow(s) {
  return `<tr><td>${escapeHtml(s.name || s.address)}<br><span class="muted">${escapeHtml(s.address)}</span></td>
    <td>${escapeHtml(s.host || '')}</td><td><span class="state ${s.status === 'active' ? 'completed' : 'cancelled'}">${s.status}</span></td>
    <td>${fmtTime(s.started_at)}</td><td>${fmtTime(s.last_alive_at)}</td></tr>`;
}

async function refresh() {
  try {
    const [sweeps, silos, cluster] = await Promise.all([getJson('/api/sweeps'), getJson('/api/silos'), getJson('/api/cluster')]);
    sweeps.sort((a, b) => String(b.started_at).localeCompare(String(a.started_at)));
    document.querySelector('#sweeps tbody').innerHTML = sweeps.map(sweepRow).join('');
    document.getElementById('no-sweeps').classList.toggle('hidden', sweeps.length > 0);
    document.querySelector('#silos tbody').innerHTML = silos.map(siloRow).join('');
    document.getElementById('cluster-name').textContent = `cluster ${cluster.cluster_id}${cluster.redis ? ` on ${cluster.redis}` : ' (one silo, SQLite)'}`;
    document.getElementById('error').textContent = '';
  } catch (e) {
    document.getElementById('error').textContent = `Cannot reach the silo: ${e.message}`;
  }
}

refresh();
setInterval(refresh, REFRESH_MS);
