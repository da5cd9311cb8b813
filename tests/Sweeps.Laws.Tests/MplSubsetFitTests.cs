using Sweeps.Core.Curves;
using Sweeps.Laws.Curves;
using Sweeps.Tests;

namespace Sweeps.Laws.Tests;

/// <summary>The paper's Table 5: MPL fitted on pairs of the 25M training curves, scored on the six held-out curves.</summary>
public class MplSubsetFitTests
{
    private static readonly string[] PaperTrain = ["cosine_24000", "constant_24000", "wsdcon_9"];
    private static readonly Lazy<List<MplObservation>> Curves = new(() =>
        CurveManifest.Load(RepositoryPaths.Mpl25mManifest).Manifest!.Curves
            .Select(c => new MplObservation(c.Name, new MplCurve(c.LearningRates, c.Curve.Steps), c.Curve.Loss)).ToList());

    [Theory]
    [InlineData("cosine_24000", "wsdcon_9", 0.9971)]     // Table 5, "Cosine + 2-stage"
    [InlineData("constant_24000", "wsdcon_9", 0.9976)]   // "Constant + 2-stage"
    [InlineData("constant_24000", "cosine_24000", 0.9993)] // "Constant + Cosine"
    public void The_default_fit_on_a_pair_of_curves_predicts_the_held_out_curves_at_least_as_well_as_Table_5_reports(string first, string second, double tableR2)
    {
        var train = Curves.Value.Where(o => o.Name == first || o.Name == second).ToList();
        var test = Curves.Value.Where(o => !PaperTrain.Contains(o.Name)).ToList();

        var fit = CurveLaws.Fit(MultiPowerLaw.LawName, train);

        Assert.True(fit.Parameters.Count == 7, string.Join("; ", fit.Warnings));
        var parameters = MultiPowerLawParameters.FromDictionary(fit.Parameters);
        var r2 = test.Average(o => FitMetrics.Of(o.Loss, MultiPowerLaw.Predict(parameters, o.Curve)).R2);
        // Table 5 comes from the paper's older fits; matching it within 0.001, or beating it, reproduces the row.
        Assert.True(r2 >= tableR2 - 1e-3, $"{first} + {second}: held-out R² {r2:F5} against Table 5's {tableR2} ({fit.Method}, {fit.SelectedBy})");
    }

    [Fact]
    public void An_optimum_that_runs_a_parameter_off_to_infinity_is_reported_as_failed_with_the_reason()
    {
        // On constant + cosine alone the objective's optimum sends C to ∞ and β, γ to 1e185 and 1e48.
        var train = Curves.Value.Where(o => o.Name is "constant_24000" or "cosine_24000").ToList();

        var fit = CurveLaws.Fit(MultiPowerLaw.LawName, train, mplMethod: MplFitMethods.Optimum);

        Assert.Empty(fit.Parameters);
        var warning = Assert.Single(fit.Warnings, w => w.StartsWith("fit failed"));
        Assert.Contains("not identified by these curves", warning);
    }
}
