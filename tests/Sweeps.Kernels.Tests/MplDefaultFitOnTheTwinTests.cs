using Sweeps.Core.Curves;
using Sweeps.Laws;
using Sweeps.Laws.Curves;
using Sweeps.Tests;

namespace Sweeps.Kernels.Tests;

/// <summary>
/// The MPL fits that choose their method from the training curves (the default <c>auto</c>, and
/// <c>schedule-cv</c>) judged as users use them, by predicting schedules they were not fitted on, on the mpl-surrogate twin: the paper's nine schedules run by the twin's kernel
/// at model sizes between and beyond the published ones, fitted on the paper's three training
/// schedules, scored on the other six. A second case, independent of the real 25M curves.
/// </summary>
public class MplDefaultFitOnTheTwinTests
{
    private static readonly string[] Train = ["cosine_24000", "constant_24000", "wsdcon_9"];

    [Theory]
    [InlineData(MplFitMethods.Auto, 5e7)]
    [InlineData(MplFitMethods.Auto, 1e9)]
    [InlineData(MplFitMethods.CrossValidated, 2e8)]
    public void A_choosing_fit_predicts_held_out_schedules_as_well_as_the_better_of_its_candidates(string method, double modelSize)
    {
        var curves = MplSurrogateCurves.Run(CurveManifest.Load(RepositoryPaths.Mpl25mManifest).Manifest!.Curves, modelSize);
        var train = curves.Where(o => Train.Contains(o.Name)).ToList();
        var test = curves.Where(o => !Train.Contains(o.Name)).ToList();
        double HeldOutPredE(FitReport fit) =>
            test.Average(o => FitMetrics.Of(o.Loss, MultiPowerLaw.Predict(MultiPowerLawParameters.FromDictionary(fit.Parameters), o.Curve)).PredE);

        var chosen = MplFitMethods.Fit(method, train);
        var candidates = ScheduleCrossValidation.Candidates.ToDictionary(m => m, m => HeldOutPredE(MplFitMethods.Fit(m, train)));

        Assert.StartsWith(method, chosen.SelectedBy);
        Assert.Equal(candidates.Values.Min(), HeldOutPredE(chosen), 1e-12);
        // The twin is the law plus 7e-4 noise: the better fit predicts within a third of the noise.
        Assert.True(HeldOutPredE(chosen) < 0.5e-3, $"held-out PredE {HeldOutPredE(chosen)}");
    }
}
