namespace Sweeps.Laws.OptLaws;

/// <summary>
/// Where the published Opt-Laws were fitted and validated (science/opt-laws.md: the Fig. 2 grid of
/// MoE models, peak LR 1e-3 to 1.5e-2, warmup 128 to 6,000 steps, 10B and 30B tokens for the fit, 3B
/// to 300B tokens and up to N = 4.05B parameters in the paper's checks). Far outside it the law's
/// negative coefficients can predict absurdly low losses (digest §8 item 10: warmup ≪ 128 steps gave
/// 1.61 at 3B tokens against 2.12 at 10B), so a prediction there carries a warning per input.
/// </summary>
public static class OptLawsDomain
{
    public static IReadOnlyList<string> Warnings(OptLawsRun run, OptLawsUnits units)
    {
        var warnings = new List<string>();
        var schedule = run.Schedule;
        if (schedule.A1 is < 128 or > 6000)
        {
            warnings.Add($"warmup {schedule.A1:G6} steps is outside the fitted 128–6,000 steps; the prediction extrapolates and can be far off (the law's warmup terms grow without bound as warmup → 0)");
        }

        if (schedule.Eta1 is < 1e-3 or > 1.5e-2)
        {
            warnings.Add($"peak LR {schedule.Eta1:G4} is outside the fitted 1e-3–1.5e-2; the prediction extrapolates");
        }

        var tokens = units.Tokens(schedule.TotalSteps);
        if (tokens is < 3 or > 300)
        {
            warnings.Add($"{tokens:G4}B tokens is outside the 3B–300B the law was fitted and checked on; the prediction extrapolates");
        }

        if (run.Parameters > 4.05e9)
        {
            warnings.Add($"model size {run.Parameters:G3} is beyond the largest checked (4.05e9); the prediction extrapolates");
        }

        return warnings;
    }
}
