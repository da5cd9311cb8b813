using System.Diagnostics;

namespace Sweeps.Grains;

/// <summary>
/// The silo's trace spans, on the BCL's <see cref="ActivitySource"/> (named <see cref="SourceName"/>):
/// one <c>sweep</c> span per sweep activation (from when it starts or resumes dispatching until it
/// completes, is cancelled or its silo lets it go), with a <c>run</c> span per executed run carrying its
/// grid point and a <c>fit</c> span per law fit as its children. The sweep's span crosses to the
/// run and fit grains in Orleans' <see cref="RequestContext"/> (W3C trace parent under
/// <see cref="ParentKey"/>), since those run after the dispatching call has returned. The host
/// exports spans over OTLP when configured; with no listener they cost nothing.
/// </summary>
public static class SweepsTracing
{
    public const string SourceName = "Sweeps";

    /// <summary>The request-context key of the W3C trace parent a grain call carries.</summary>
    public const string ParentKey = "sweeps.traceparent";

    public static readonly ActivitySource Source = new(SourceName);

    /// <summary>A sweep's span: the root of its trace, whatever call activated the grain; <see cref="Activity.Current"/> is left as it was.</summary>
    public static Activity? StartSweep(string sweepId, string name, long totalRuns, long finishedBefore)
    {
        var previous = Activity.Current;
        Activity.Current = null;
        var span = Source.StartActivity("sweep", ActivityKind.Internal, default(ActivityContext));
        span?.SetTag("sweep.id", sweepId).SetTag("sweep.name", name).SetTag("sweep.total_runs", totalRuns).SetTag("sweep.finished_before", finishedBefore);
        Activity.Current = previous;
        return span;
    }

    /// <summary>Ends a sweep's span with how it ended (completed, cancelled, deactivated) and how many runs had finished.</summary>
    public static void EndSweep(Activity? span, string outcome, long finished)
    {
        if (span is null)
        {
            return;
        }

        var previous = Activity.Current;
        span.SetTag("sweep.outcome", outcome).SetTag("sweep.finished", finished).Stop();
        Activity.Current = previous;
    }

    /// <summary>Grain calls made inside the returned scope carry <paramref name="span"/> as their callee's parent.</summary>
    public static ParentScope Parent(Activity? span)
    {
        if (span is not null)
        {
            RequestContext.Set(ParentKey, span.Id!);
        }

        return new ParentScope(span is not null);
    }

    /// <summary>The parent the current grain call carries (none: default).</summary>
    public static ActivityContext RequestedParent() =>
        RequestContext.Get(ParentKey) is string id && ActivityContext.TryParse(id, null, out var parent) ? parent : default;

    /// <summary>A child span of <paramref name="parent"/> (of <see cref="Activity.Current"/> when there is none).</summary>
    public static Activity? StartChild(string name, ActivityContext parent) =>
        parent == default ? Source.StartActivity(name) : Source.StartActivity(name, ActivityKind.Internal, parent);

    /// <summary>A run's span, child of the sweep's, tagged with the run's grid point (simulated and command runs alike).</summary>
    public static Activity? StartRun(string sweepId, Core.Grid.RunDefinition run, string simulator, ActivityContext parent) =>
        StartChild("run", parent)?.SetTag("sweep.id", sweepId).SetTag("run.index", run.Index).SetTag("run.simulator", simulator)
            .SetTag("run.model_size", run.ModelSize).SetTag("run.peak_lr", run.PeakLr).SetTag("run.warmup_steps", run.WarmupSteps)
            .SetTag("run.total_steps", run.TotalSteps).SetTag("run.schedule", run.ScheduleName).SetTag("run.seed", run.Seed);

    /// <summary>Tags a run's span with its outcome; a failed run's span is an error with the run's message.</summary>
    public static void EndRun(Activity? span, Contracts.RunResult result)
    {
        span?.SetTag("run.status", result.Status.ToString().ToLowerInvariant()).SetTag("run.final_loss", result.FinalLoss);
        if (result.Status == Contracts.RunStatus.Failed)
        {
            span?.SetStatus(ActivityStatusCode.Error, result.Error);
        }
    }

    public readonly struct ParentScope(bool set) : IDisposable
    {
        public void Dispose()
        {
            if (set)
            {
                RequestContext.Remove(ParentKey);
            }
        }
    }
}
