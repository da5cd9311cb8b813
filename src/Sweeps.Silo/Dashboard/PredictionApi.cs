using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Sweeps.Contracts;
using Sweeps.Laws;
using Sweeps.Laws.Scaling;
using static Sweeps.Silo.Http.ApiResults;

namespace Sweeps.Silo.Dashboard;

/// <summary>
/// <c>GET /api/sweeps/{id}/predict?model_size=N&amp;total_steps=T[&amp;warmup_steps=W]</c>: what
/// <c>sweeps predict</c> prints (<see cref="ScalePrediction"/> in snake case) with the law-optimal
/// schedule sampled for a chart (<c>optimal_schedule: {steps, lr}</c>, at most
/// <see cref="DashboardApi.SchedulePoints"/> points). The sweep's law-fit grain predicts (one
/// prediction or fit at a time per sweep) and keeps the answer for the same question while no run
/// of the sweep has finished since; the request waits for it.
/// </summary>
internal static class PredictionApi
{
    public static void Map(WebApplication app) =>
        app.MapGet("/api/sweeps/{id:sweepid}/predict", async (string id, string? model_size, string? total_steps, string? warmup_steps, IGrainFactory grains, CancellationToken cancellationToken) =>
        {
            var (target, problems) = Read(model_size, total_steps, warmup_steps);
            if (problems.Count > 0)
            {
                return BadRequest(problems);
            }

            if (await grains.GetGrain<ISweepGrain>(id).GetSpec() is null)
            {
                return NoSweep(id);
            }

            var ended = await grains.PredictAsync(id, new PredictionRequest(target.ModelSize, target.TotalSteps, target.WarmupSteps, null), cancellationToken: cancellationToken);
            return ended switch
            {
                { Known: false } => Results.Json(new { error = $"the silo predicting for sweep '{id}' stopped before it answered; ask again" }, statusCode: StatusCodes.Status503ServiceUnavailable),
                { Error: { } error } => Results.Json(new { error = $"the prediction failed: {error}" }, statusCode: StatusCodes.Status500InternalServerError),
                { Prediction: null } => BadRequest([$"sweep '{id}' has no finished run with a final loss to predict from yet"]),
                _ => Json(Answer(id, ended.Prediction, ended.Runs)),
            };
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
