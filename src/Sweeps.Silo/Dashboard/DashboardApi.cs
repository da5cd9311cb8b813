using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Sweeps.Contracts;
using Sweeps.Core.Grid;
using Sweeps.Laws;
using Sweeps.Laws.Charts;
using Sweeps.Silo.Reports;
using static Sweeps.Silo.Http.ApiResults;

using Sweeps.Silo.Http;

namespace Sweeps.Silo.Dashboard;

/// <summary>
/// The JSON behind the dashboard's charts (documented in docs/dashboard.md):
/// <c>GET /api/silos</c> (the cluster's silos and their health),
/// <c>GET /api/sweeps/{id}/curves?runs=I,J,…</c> (loss curves of finished runs, at most
/// <see cref="MaxCurvesPerRequest"/>), <c>GET /api/sweeps/{id}/running</c> (curves so far of running
/// runs: <see cref="LiveRunRows"/>), <c>GET /api/sweeps/{id}/runs/{index}</c> (one run: its row, and
/// for a failed run its error and last output), <c>GET /api/sweeps/{id}/runs/{index}/schedule</c> (a run's LR
/// schedule, at most <see cref="SchedulePoints"/> points), <c>GET /api/sweeps/{id}/laws</c> (the fitted
/// laws over the data: <see cref="LawCharts"/>) and <c>GET /api/sweeps/{id}/laws/curves/{fit}</c> (a
/// curve-law fit's predictions over its scope's curves). Unknown sweeps and runs are 404s.
/// </summary>
internal static class DashboardApi
{
    public const int MaxCurvesPerRequest = 100;
    public const int SchedulePoints = 500;

    /// <summary>Curves drawn under one curve-law fit: its scope's runs, the first ones in grid order.</summary>
    public const int MaxCurvesPerFit = 24;

    public static void Map(WebApplication app)
    {
        app.MapGet("/api/silos", async (IGrainFactory grains) =>
        {
            var hosts = await grains.GetGrain<IManagementGrain>(0).GetDetailedHosts(onlyActive: false);
            return Json(hosts.OrderBy(h => h.SiloAddress.ToString()).Select(h => new
            {
                Address = h.SiloAddress.ToString(),
                Name = h.SiloName,
                Host = h.HostName,
                Status = h.Status.ToString().ToLowerInvariant(),
                StartedAt = h.StartTime,
                LastAliveAt = h.IAmAliveTime,
            }).ToList());
        });
        app.MapGet("/api/sweeps/{id:sweepid}/running", async (string id, IGrainFactory grains) =>
            await GridOf(grains, id) is { } grid
                ? Json(await LiveRunRows.ReadAsync(grains, grains.GetGrain<ISweepGrain>(id), grid))
                : NoSweep(id));
        app.MapGet("/api/sweeps/{id:sweepid}/curves", async (string id, string? runs, IGrainFactory grains) =>
        {
            if (await GridOf(grains, id) is not { } grid)
            {
                return NoSweep(id);
            }

            var parts = (runs ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var problems = new List<string>();
            var indices = parts.Select(part => Query.Whole(part, "runs", -1, 0, grid.Count - 1, problems)).Distinct().ToList();
            if (parts.Length > MaxCurvesPerRequest)
            {
                problems.Add($"runs names {parts.Length} runs; at most {MaxCurvesPerRequest} a request");
            }

            if (problems.Count > 0)
            {
                return BadRequest(problems.Distinct().Take(5));
            }

            var results = await Task.WhenAll(indices.Select(i => RunResults.Of(grains, id, grid, i)));
            return Json(new
            {
                Id = id,
                Curves = results.Where(r => r?.Curve is not null).Select(r => new
                {
                    r!.Index,
                    RunId = grid.RunAt(r.Index).RunId,
                    r.Curve!.Steps,
                    r.Curve.Loss,
                    r.Curve.Lr,
                }).ToList(),
            });
        });
        app.MapGet("/api/sweeps/{id:sweepid}/runs/{index:long}", async (string id, long index, IGrainFactory grains) =>
        {
            var sweep = grains.GetGrain<ISweepGrain>(id);
            if (await GridOf(grains, id) is not { } grid || index < 0 || index >= grid.Count)
            {
                return NotFound($"no run {index} in sweep '{id}'");
            }

            var record = (await sweep.GetRuns(index, 1)).FirstOrDefault(r => r.Index == index) ?? new RunRecord(index, RunStatus.Pending, double.NaN);
            var failure = record.Status == RunStatus.Failed ? (await FailedRun.ReadAsync(grains, id, grid, [record], 1))[0] : null;
            // A stopped run's decision (step, rule, reason, predicted final, low end) is kept with its result.
            var stop = record.Status == RunStatus.Stopped ? (await RunResults.Of(grains, id, grid, index))?.Stop : null;
            return Json(new { Run = RunRow.Of(grid, record), failure?.Error, LogTail = failure?.LogTail ?? [], Stop = stop });
        });
        app.MapGet("/api/sweeps/{id:sweepid}/runs/{index:long}/schedule", async (string id, long index, IGrainFactory grains) =>
        {
            if (await GridOf(grains, id) is not { } grid || index < 0 || index >= grid.Count)
            {
                return NotFound($"no run {index} in sweep '{id}'");
            }

            var run = grid.RunAt(index);
            var lr = Core.Schedules.Schedule.Evaluate(run.Schedule);
            var steps = EvenlySpaced.Indices(lr.Length, SchedulePoints);
            return Json(new
            {
                Index = index,
                run.RunId,
                Schedule = run.ScheduleName,
                run.PeakLr,
                run.WarmupSteps,
                run.TotalSteps,
                Steps = steps,
                Lr = steps.Select(s => lr[s]).ToArray(),
            });
        });
        app.MapGet("/api/sweeps/{id:sweepid}/laws", async (string id, IGrainFactory grains) =>
        {
            var sweep = grains.GetGrain<ISweepGrain>(id);
            if (await sweep.GetSpec() is not { } spec)
            {
                return NoSweep(id);
            }

            var grid = new SweepGrid(spec);
            var status = await sweep.GetStatus();
            var points = new List<FinalLossPoint>();
            await foreach (var record in sweep.ReadRunsAsync())
            {
                if (record.Status.HasFinalLoss())
                {
                    points.Add(FinalLossPoints.Of(grid.RunAt(record.Index), record.FinalLoss));
                }
            }

            var optimalLr = status.Fits.FirstOrDefault(f => f.Law == SweepLaws.OptimalLr);
            return Json(new
            {
                Id = id,
                status.State,
                Chinchilla = LawCharts.Chinchilla(status.Fits, points),
                OptimalLr = optimalLr?.OptimalLr ?? [],
                OptimalLrLines = optimalLr is null ? [] : LawCharts.OptimalLrLines(optimalLr),
                CurveFits = status.Fits.Select((f, i) => (Fit: f, Index: i))
                    .Where(f => Laws.Curves.CurveLaws.Names.Contains(f.Fit.Law) && f.Fit.Parameters.Count > 0)
                    .Select(f => new { Fit = f.Index, f.Fit.Law, f.Fit.Scope, f.Fit.Metrics }).ToList(),
            });
        });
        app.MapGet("/api/sweeps/{id:sweepid}/laws/curves/{fit:int}", async (string id, int fit, IGrainFactory grains) =>
        {
            var sweep = grains.GetGrain<ISweepGrain>(id);
            var status = await sweep.GetStatus();
            if (await sweep.GetSpec() is not { } spec || fit < 0 || fit >= status.Fits.Count)
            {
                return NotFound($"no fit {fit} in sweep '{id}'");
            }

            var report = status.Fits[fit];
            var grid = new SweepGrid(spec);
            var inScope = new List<long>();
            await foreach (var record in sweep.ReadRunsAsync())
            {
                if (record.Status.HasFinalLoss() && LawCharts.InScope(report.Scope, grid.RunAt(record.Index)) && inScope.Count < MaxCurvesPerFit)
                {
                    inScope.Add(record.Index);
                }
            }

            var results = await Task.WhenAll(inScope.Select(i => RunResults.Of(grains, id, grid, i)));
            var curves = results.Where(r => r?.Curve is not null).Select(r => new RunCurve(grid.RunAt(r!.Index), r.Curve!) { AsLogged = grid.Spec.IsIngested }).ToList();
            return Json(new { Id = id, Fit = fit, report.Law, report.Scope, Runs = LawCharts.CurveLaw(report, curves) });
        });
    }

    private static async Task<SweepGrid?> GridOf(IGrainFactory grains, string id) =>
        await grains.GetGrain<ISweepGrain>(id).GetSpec() is { } spec ? new SweepGrid(spec) : null;
}
