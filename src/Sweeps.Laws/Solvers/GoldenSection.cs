using MathNet.Numerics;
using MathNet.Numerics.Optimization;

namespace Sweeps.Laws.Solvers;

/// <summary>
/// The minimum of a function of one variable within [low, high]: a scan of <c>ScanSteps + 1</c>
/// evenly spaced points, then MathNet's <see cref="GoldenSectionMinimizer"/> around the scan's best.
/// MathNet needs a bracket whose first middle point (at 1/(1 + φ) of the interval) is below both
/// ends, and throws otherwise; the interval it is given, from the best point's left neighbour to φ
/// scan steps right of it, puts that middle point exactly on the best point, which is below both ends
/// of any unimodal function. What MathNet refuses is made an answer: a scan best at an end of the
/// window returns that end (the function falls toward it: the caller decides whether to look
/// beyond), and a non-finite value (a law that diverges there) counts as worse than any finite one.
/// </summary>
public static class GoldenSection
{
    public const int ScanSteps = 8;

    public static SolverResult Minimize(Func<double, double> function, double low, double high, double tolerance)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(low, high);
        // MathNet recomputes its interior point from the new bounds on every iteration (to avoid drift),
        // which lands within rounding of a point it evaluated the iteration before: two evaluations an
        // iteration where golden section needs one. Points that close are the same point here, so an
        // expensive function (a law's final loss over a long schedule) is evaluated once per point.
        var sameWithin = (high - low) * 1e-12;
        var seen = new List<(double X, double Value)>();
        var evaluations = 0;
        double Finite(double x)
        {
            foreach (var (at, known) in seen)
            {
                if (Math.Abs(at - x) <= sameWithin)
                {
                    return known;
                }
            }

            evaluations++;
            var value = function(x);
            value = double.IsFinite(value) ? value : double.MaxValue;
            seen.Add((x, value));
            return value;
        }

        var step = (high - low) / ScanSteps;
        var scan = Enumerable.Range(0, ScanSteps + 1).Select(i => i == ScanSteps ? high : low + i * step).Select(x => (X: x, Value: Finite(x))).ToList();
        var best = scan.IndexOf(scan.MinBy(p => p.Value));
        if (best == 0 || best == ScanSteps)
        {
            return new SolverResult([scan[best].X], scan[best].Value, 0, true) { Evaluations = evaluations };
        }

        try
        {
            var bracket = (Low: scan[best - 1].X, High: scan[best].X + Constants.GoldenRatio * step);
            var result = GoldenSectionMinimizer.Minimum(ObjectiveFunction.ScalarValue(Finite), bracket.Low, bracket.High, tolerance, maxIterations: 1000, maxExpansionSteps: 0);
            return new SolverResult([result.MinimizingPoint], result.FunctionInfoAtMinimum.Value, result.Iterations, true) { Evaluations = evaluations };
        }
        catch (OptimizationException e) when (e is not MaximumIterationsException)
        {
            // Not a bracket after all: a function that is not unimodal here, or ties at rounding level. The scan's best stands.
            return new SolverResult([scan[best].X], scan[best].Value, 0, false) { Evaluations = evaluations };
        }
    }
}
