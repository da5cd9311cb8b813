namespace Sweeps.Laws;

/// <summary>
/// Fits the laws a sweep spec names to its finished runs. Chinchilla is fitted to the best final
/// loss of each (model size, horizon), the loss at that scale's best hyper-parameters, because
/// runs at a poor LR do not follow a scaling law. <c>optimal_lr</c> reports each scale's optimum and
/// the power law η*(N, T) = c·N^a·T^b through them.
/// </summary>
public static class SweepLaws
{
    public const string OptimalLr = Sweeps.Core.Specs.KnownLaws.OptimalLr;

    public static IReadOnlyList<FitReport> Fit(IReadOnlyCollection<string> laws, IReadOnlyList<FinalLossPoint> points)
    {
        var optima = OptimalLearningRate.FromGrid(points);
        var reports = new List<FitReport>();
        foreach (var law in laws)
        {
            reports.Add(law switch
            {
                Chinchilla.Name => Chinchilla.Fit(optima.Select(o => new Chinchilla.Observation(o.ModelSize, o.TotalSteps, o.GridLoss)).ToList()),
                OptimalLr => OptimalLrReport(optima),
                _ => new FitReport(law) { Warnings = [$"unknown law '{law}'"] },
            });
        }

        return reports;
    }

    /// <summary>The optimum of each (N, T), and the power law η*(N, T) = c·N^a·T^b through them when there are enough.</summary>
    private static FitReport OptimalLrReport(IReadOnlyList<OptimalLrPoint> optima)
    {
        var warnings = optima.Where(o => o.AtGridEdge)
            .Select(o => $"model_size {o.ModelSize:G4}, total_steps {o.TotalSteps}: the best peak LR {o.GridPeakLr:G4} is at the edge of the grid; widen peak_lr")
            .ToList();
        var (scaling, metrics, problem) = OptimalLrScaling.Fit(optima);
        if (problem is not null)
        {
            warnings.Add(problem);
        }

        return new FitReport(OptimalLr)
        {
            OptimalLr = optima,
            Parameters = scaling?.ToDictionary() ?? new Dictionary<string, double>(),
            Metrics = metrics,
            Points = optima.Count,
            Converged = true,
            Warnings = warnings,
        };
    }
}
