using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Sweeps.Contracts;
using Sweeps.Laws;
using Sweeps.Laws.Scaling;
using Sweeps.Silo.Reports;
using static Sweeps.Silo.Http.ApiResults;

namespace Sweeps.Silo.Dashboard;

/// <summary>
/// <c>GET /api/sweeps/{id}/predict?model_size=N&amp;total_steps=T[&amp;warmup_steps=W]</c>: what
/// <c>sweeps predict</c> prints (<see cref="ScalePrediction"/> in snake case) with the law-optimal
/// schedule sampled for a chart (<c>optimal_schedule: {steps, lr}</c>, at most
/// <see cref="DashboardApi.SchedulePoints"/> points). A fit takes seconds to minutes, so one runs at
/// a time per silo and the answer is kept for the same question while no run of the sweep has finished since.
/// </summary>
internal static class PredictionApi
{
    private const int CachedAnswers = 32;

    private static readonly SemaphoreSlim OneAtATime = new(1, 1);
    private static readonly ConcurrentDictionary<string, object> Answers = new();

    public static void Map(WebApplication app) =>
        app.MapGet("/api/sweeps/{id:sweepid}/predict", async (string id, string? model_size, string? total_steps, string? warmup_steps, IGrainFactory grains, CancellationToken cancellationToken) =>
        {
            var (target, problems) = Read(model_size, total_steps, warmup_steps);
            if (problems.Count > 0)
            {
                return BadRequest(problems);
            }

            var sweep = grains.GetGrain<ISweepGrain>(id);
            if (await sweep.GetSpec() is not { } spec)
            {
                return NoSweep(id);
            }

            var status = await sweep.GetStatus();
            var key = string.Create(CultureInfo.InvariantCulture, $"{id}|{target.ModelSize:R}|{target.TotalSteps}|{target.WarmupSteps}|{status.Finished}");
            if (Answers.TryGetValue(key, out var known))
            {
                return Json(known);
            }

            await OneAtATime.WaitAsync(cancellationToken);
            try
            {
                var (prediction, runs) = await new SweepResults(grains, id, spec).PredictAsync(target.ModelSize, target.TotalSteps, target.WarmupSteps);
                if (prediction is null)
                {
                    return BadRequest([$"sweep '{id}' has no finished run with a final loss to predict from yet"]);
                }

                var answer = Answer(id, prediction, runs);
                if (Answers.Count >= CachedAnswers)
                {
                    Answers.Clear();
                }

                Answers[key] = answer;
                return Json(answer);
            }
            finally
            {
                OneAtATime.Release();
            }
        });

    private static object Answer(string id, ScalePrediction prediction, int runs)
    {
        var steps = prediction.OptimalSchedule is { } lr ? EvenlySpaced.Indices(lr.Length, DashboardApi.SchedulePoints) : [];
        return new
        {
            Id = id,
            Runs = runs,
            Prediction = prediction,
            OptimalSchedule = new { Steps = steps, Lr = steps.Select(s => prediction.OptimalSchedule![s]).ToArray() },
        };
    }

    private static ((double ModelSize, int TotalSteps, int? WarmupSteps) Target, List<string> Problems) Read(string? modelSize, string? totalSteps, string? warmupSteps)
    {
        var problems = new List<string>();
        if (!double.TryParse(modelSize, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) || !(n > 0) || !double.IsFinite(n))
        {
            problems.Add($"model_size: must be a positive number of parameters, got '{modelSize}'");
        }

        if (!int.TryParse(totalSteps, NumberStyles.Integer, CultureInfo.InvariantCulture, out var t) || t < 2)
        {
            problems.Add($"total_steps: must be an integer of at least 2, got '{totalSteps}'");
        }

        int? w = null;
        if (!string.IsNullOrEmpty(warmupSteps))
        {
            if (!int.TryParse(warmupSteps, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) || parsed < 0 || parsed >= t)
            {
                problems.Add($"warmup_steps: must be an integer in [0, total_steps), got '{warmupSteps}'");
            }

            w = parsed;
        }

        return ((n, t, w), problems);
    }
}
