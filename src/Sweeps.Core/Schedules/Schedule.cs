namespace Sweeps.Core.Schedules;

/// <summary>
/// Evaluates a schedule into one learning rate per 0-based step <c>s ∈ [0, total_steps)</c>.
/// Every law and kernel consumes this array, so its semantics are the contract of DESIGN.md:
/// a linear warmup rises from 0 at step 0 to the peak at step <c>W - 1</c> (numpy's
/// <c>linspace(0, peak, W)</c>, as in the multi-power-law paper's code), then the kind's formula
/// runs with <c>s ≥ W</c>.
/// </summary>
public static class Schedule
{
    /// <summary>Evaluates a schedule; throws <see cref="ArgumentException"/> naming every problem if it is invalid.</summary>
    public static double[] Evaluate(ScheduleSpec spec) => EvaluateFirst(spec, spec.TotalSteps);

    /// <summary>
    /// The learning rates of the first <paramref name="steps"/> steps only (all of them if the schedule
    /// is shorter), bit for bit those of <see cref="Evaluate"/>, without computing the rest: comparing
    /// the start of a long schedule costs what that start costs.
    /// </summary>
    public static double[] EvaluateFirst(ScheduleSpec spec, int steps)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(steps);
        var errors = ScheduleValidator.Validate(spec);
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join("; ", errors.Select(e => e.Format())), nameof(spec));
        }

        var lr = new double[Math.Min(steps, spec.TotalSteps)];
        var warmup = Math.Min(spec.EffectiveWarmupSteps, lr.Length);
        FillWarmup(spec, lr.AsSpan(0, warmup));
        var rest = lr.AsSpan(warmup);
        switch (spec.Kind)
        {
            case ScheduleKind.Constant: rest.Fill(spec.ResolvedPeak); break;
            case ScheduleKind.Cosine: Cosine.Fill(spec, rest); break;
            case ScheduleKind.Linear: Linear.Fill(spec, rest); break;
            case ScheduleKind.Polynomial: Polynomial.Fill(spec, rest); break;
            case ScheduleKind.Wsd: Wsd.Fill(spec, rest); break;
            case ScheduleKind.WsdS: WsdS.Fill(spec, rest); break;
            case ScheduleKind.Step: StepSchedule.Fill(spec, rest); break;
            case ScheduleKind.Table: TableSchedule.Fill(spec, rest); break;
            default: throw new ArgumentOutOfRangeException(nameof(spec), spec.Kind, "unknown schedule kind");
        }

        return lr;
    }

    private static void FillWarmup(ScheduleSpec spec, Span<double> warmup)
    {
        var peak = spec.ResolvedPeak;
        switch (spec.Warmup)
        {
            case WarmupKind.Linear:
                // A one-step warmup has no room to rise: it starts at the peak.
                var length = spec.EffectiveWarmupSteps; // the whole warmup's, also when only its start is filled
                for (var s = 0; s < warmup.Length; s++)
                {
                    warmup[s] = length == 1 ? peak : peak * s / (length - 1);
                }

                break;
            case WarmupKind.Constant:
                warmup.Fill(spec.WarmupLr ?? peak / 10);
                break;
            case WarmupKind.None:
                break;
        }
    }
}
