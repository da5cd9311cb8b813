using Sweeps.Core.Specs;
using Sweeps.Laws.Curves;

namespace Sweeps.Laws.Tests;

/// <summary>A law's name is spelled once (KnownLaws, what a spec may name); the fitters know exactly those laws.</summary>
public sealed class LawCatalogTests
{
    [Fact]
    public void The_curve_law_catalog_holds_exactly_the_curve_laws_a_spec_may_name()
    {
        Assert.True(CurveLaws.CoversKnownLaws);
        Assert.Equal(KnownLaws.CurveLaws, CurveLaws.Names);
        Assert.Throws<ArgumentException>(() => CurveLaws.Fit("no-such-law", []));
    }

    [Fact]
    public void Every_law_a_spec_may_name_is_known_to_the_sweep_fitter()
    {
        foreach (var law in KnownLaws.All)
        {
            var reports = SweepLaws.Fit([law], points: [], curves: []);
            Assert.NotEmpty(reports);
            Assert.All(reports, report => Assert.DoesNotContain(report.Warnings, w => w.StartsWith("unknown law", StringComparison.Ordinal)));
        }

        Assert.Contains("unknown law 'no-such-law'", Assert.Single(SweepLaws.Fit(["no-such-law"], points: [])).Warnings);
    }
}
