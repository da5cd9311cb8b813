using Sweeps.Core.Curves;
using Sweeps.Laws;
using Sweeps.Laws.Mpl;
using Sweeps.Tests;

namespace Sweeps.Kernels.Tests;

/// <summary>
/// The default MPL fit (schedule cross-validation) judged as users use it, by predicting schedules it
/// was not fitted on, on the mpl-surrogate twin: the paper's nine schedules run by the twin's kernel
/// at model sizes between and beyond the published ones, fitted on the paper's three training
/// schedules, scored on the other six. A second case, independent of the real 25M curves.
/// </summary>
public class MplDefaultFitOnTheTwinTests
{
    private static readonly string[] Train = ["cosine_24000", "constant_24000", "wsdcon_9"];

    [Theory]
    [InlineData(5e7)]
    [InlineData(1e9)]
    public void Default_fit_predicts_held_out_schedules_as_well_as_the_better_of_its_candidates(double modelSize)
    {
        var curves = MplSurrogateCurves.Run(CurveManifest.Load(RepositoryPaths.Mpl25mManifest).Manifest!.Curves, modelSize);
        var train = curves.Where(o => Train.Contains(o.Name)).ToList();
        var test = curves.Where(o => !Train.Contains(o.Name)).ToList();
        double HeldOutPredE(FitReport fit) =>
            test.Average(o => FitMetrics.Of(o.Loss, MultiPowerLaw.Predict(MultiPowerLawParameters.FromDictionary(fit.Parameters), o.Curve)).PredE);

        var chosen = MplFitMethods.Fit(MplFitMethods.Default, train);
        var candidates = ScheduleCrossValidation.Candidates.ToDictionary(m => m, m => HeldOutPredE(MplFitMethods.Fit(m, train)));

        Assert.Equal(ScheduleCrossValidation.MethodName, chosen.SelectedBy);
        Assert.Equal(candidates.Values.Min(), HeldOutPredE(chosen), 1e-12);
        // The twin is the law plus 7e-4 noise: the better fit predicts within a third of the noise.
        Assert.True(HeldOutPredE(chosen) < 0.5e-3, $"held-out PredE {HeldOutPredE(chosen)}");
    }
}
