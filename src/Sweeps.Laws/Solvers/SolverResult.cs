namespace Sweeps.Laws.Solvers;

/// <summary>
/// Where a solver stopped, the one shape every solver here returns (Huber Levenberg–Marquardt,
/// L-BFGS, the BFGS and golden-section wrappers over MathNet): the <paramref name="Point"/> in the
/// solver's own coordinates (a law's θ: logs of its positive parameters), the objective
/// <paramref name="Value"/> there (+∞ when no point of the domain was reached), and whether it
/// stopped on its convergence test rather than on its iteration cap.
/// </summary>
public sealed record SolverResult(double[] Point, double Value, int Iterations, bool Converged)
{
    /// <summary>Objective evaluations, where the solver counts them (line searches evaluate more than once an iteration); 0 otherwise.</summary>
    public int Evaluations { get; init; }
}
