namespace Sweeps.Laws.ScheduleSearch;

/// <summary>
/// A non-increasing post-warmup schedule of constant stages: stage 0 at the peak, then stage i
/// (1 ≤ i ≤ K) from post-warmup fraction <c>Starts[i−1]</c> at <c>Levels[i−1]</c>·peak. Encoded for
/// unconstrained search as 2K reals: the stage lengths are a softmax of K free logits and a fixed
/// 0 (the last stage), each level is the previous one times a logistic, so every real vector is a
/// valid schedule and every valid schedule (positive lengths, falling levels) has a code.
/// </summary>
public sealed record Staircase(double[] Starts, double[] Levels)
{
    public int Stages => Levels.Length;

    public static Staircase Decode(ReadOnlySpan<double> code)
    {
        var k = code.Length / 2;
        var weights = new double[k + 1];
        var largest = 0.0;
        for (var i = 0; i < k; i++)
        {
            largest = Math.Max(largest, code[i]);
        }

        var sum = 0.0;
        for (var i = 0; i <= k; i++)
        {
            weights[i] = Math.Exp((i < k ? code[i] : 0) - largest);
            sum += weights[i];
        }

        var starts = new double[k];
        var levels = new double[k];
        var (start, level) = (0.0, 1.0);
        for (var i = 0; i < k; i++)
        {
            start += weights[i] / sum;
            level /= 1 + Math.Exp(-code[k + i]);
            (starts[i], levels[i]) = (start, level);
        }

        return new Staircase(starts, levels);
    }

    public double[] Encode()
    {
        var k = Stages;
        var code = new double[2 * k];
        var last = 1 - Starts[^1];
        for (var i = 0; i < k; i++)
        {
            var length = Starts[i] - (i == 0 ? 0 : Starts[i - 1]);
            code[i] = Math.Log(Math.Max(length, 1e-12) / Math.Max(last, 1e-12));
            var ratio = Math.Clamp(Levels[i] / (i == 0 ? 1 : Levels[i - 1]), 1e-12, 1 - 1e-12);
            code[k + i] = Math.Log(ratio / (1 - ratio));
        }

        return code;
    }

    /// <summary>
    /// Writes the post-warmup steps of <paramref name="lr"/> (the warmup is left as it is): the first
    /// post-warmup step is always at the peak, stage boundaries are rounded to whole steps.
    /// </summary>
    public void Write(Span<double> lr, ScheduleProblem problem)
    {
        var post = lr[problem.WarmupSteps..];
        var free = post.Length - 1;
        var end = post.Length;
        post[0] = problem.PeakLr;
        var from = 1;
        for (var i = 0; i <= Stages; i++)
        {
            var to = i < Stages ? 1 + (int)Math.Round(Starts[i] * free) : end;
            var level = i == 0 ? 1 : Levels[i - 1];
            post[from..Math.Max(from, to)].Fill(problem.PeakLr * level);
            from = Math.Max(from, to);
        }
    }

    /// <summary>
    /// The K + 1 ways to add a stage: split stage i at its middle, the new second half halfway (in
    /// log) between stage i's level and the next one's (a tenth of the last level for the last stage).
    /// </summary>
    public IEnumerable<Staircase> Refinements()
    {
        for (var i = 0; i <= Stages; i++)
        {
            var from = i == 0 ? 0 : Starts[i - 1];
            var to = i < Stages ? Starts[i] : 1;
            var level = i == 0 ? 1 : Levels[i - 1];
            var next = i < Stages ? Levels[i] : level / 10;
            var starts = Starts.ToList();
            var levels = Levels.ToList();
            starts.Insert(i, (from + to) / 2);
            levels.Insert(i, Math.Sqrt(level * next));
            yield return new Staircase([.. starts], [.. levels]);
        }
    }
}
