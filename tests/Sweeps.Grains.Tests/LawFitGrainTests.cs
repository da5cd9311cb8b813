using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using Sweeps.Contracts;
using Sweeps.Core.Grid;
using Sweeps.Core.Specs;
using Sweeps.Laws.Scaling;
using Sweeps.Tests;

namespace Sweeps.Grains.Tests;

/// <summary>The law-fit grain reads a sweep's runs itself, fits in the background, and keeps every version.</summary>
[Collection(ClusterCollection.Name)]
public sealed class LawFitGrainTests(ClusterFixture fixture)
{
    private static async Task<FitVersion> WaitForAsync(ILawFitGrain lawFit, int version)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        while (true)
        {
            var state = await lawFit.GetVersion(version);
            if (state.Version is { } done)
            {
                return done;
            }

            Assert.True(state.Fitting, $"version {version} is neither done nor fitting");
            await Task.Delay(50, timeout.Token);
        }
    }

    [Fact]
    public async Task The_sweeps_own_fit_is_version_1_and_each_refit_reads_the_runs_again_into_a_new_version()
    {
        var sweep = fixture.Grains.GetGrain<ISweepGrain>("law-fit-versions");
        await sweep.Start(SweepGrainTests.Spec("law-fit-versions"));
        using (var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2)))
        {
            while (!(await sweep.GetStatus()).IsCompleted)
            {
                await Task.Delay(50, timeout.Token);
            }
        }

        var status = await sweep.GetStatus();
        var lawFit = fixture.Grains.GetGrain<ILawFitGrain>("law-fit-versions");

        // The sweep's own fit, as the sweep reported it, read from its 45 runs.
        var own = Assert.Single(await lawFit.GetVersions());
        Assert.Equal(1, own.Version);
        Assert.Equal(45, own.FinishedRuns);
        Assert.Equal(status.Fits.Select(f => (f.Law, f.Parameters.Count)), own.Reports.Select(f => (f.Law, f.Parameters.Count)));

        // Two refits started at once run one after the other, each into its own version, and fit what the sweep fitted.
        var second = await lawFit.Start([KnownLaws.Chinchilla], bootstrap: null, reportToSweep: false);
        var third = await lawFit.Start([KnownLaws.OptimalLr], bootstrap: null, reportToSweep: false);
        Assert.Equal((2, 3), (second, third));
        var chinchilla = Assert.Single((await WaitForAsync(lawFit, second)).Reports);
        var optimalLr = Assert.Single((await WaitForAsync(lawFit, third)).Reports);
        Assert.Equal(status.Fits.Single(f => f.Law == KnownLaws.Chinchilla).Parameters, chinchilla.Parameters);
        Assert.Equal(status.Fits.Single(f => f.Law == KnownLaws.OptimalLr).OptimalLr.Count, optimalLr.OptimalLr.Count);
        Assert.Equal([1, 2, 3], (await lawFit.GetVersions()).Select(v => v.Version));

        // A version never started is neither done nor fitting: a caller stops waiting for it.
        Assert.Equal(new FitVersionState(null, false), await lawFit.GetVersion(99));
        // The refits did not touch the sweep's own fits.
        Assert.Equal(status.Fits.Count, (await sweep.GetStatus()).Fits.Count);
    }

    [Fact]
    public async Task A_prediction_runs_on_the_law_fit_grain_and_the_same_question_is_answered_once_while_no_run_finishes()
    {
        var sweep = fixture.Grains.GetGrain<ISweepGrain>("law-fit-predict");
        var spec = SweepGrainTests.Spec("law-fit-predict");
        await sweep.Start(spec);
        await Eventually.UntilAsync(sweep.GetStatus, s => s.IsCompleted, "the sweep to complete", TimeSpan.FromMinutes(2));

        var request = new PredictionRequest(ModelSize: 512, TotalSteps: 900, WarmupSteps: null, Schedules: null);
        var stages = new List<string>();
        var ended = await fixture.Grains.PredictAsync("law-fit-predict", request, stages.Add);

        // The reference: the same predictor on the same inputs, read and computed here.
        var inputs = await FitInputs.ReadAsync(fixture.Grains, "law-fit-predict", new SweepGrid(spec), withCurves: true);
        var expected = ScalePredictor.Predict(inputs.Points, inputs.Curves, inputs.Diverged, 512, 900);
        Assert.Null(ended.Error);
        Assert.Equal((45, inputs.Curves.Count), (ended.Runs, ended.Curves));
        Assert.Equal(expected.OptimalPeakLr, ended.Prediction!.OptimalPeakLr);
        Assert.Equal(expected.PredictedFinalLoss, ended.Prediction.PredictedFinalLoss);
        Assert.Equal(expected.OptimalSchedule, ended.Prediction.OptimalSchedule);
        Assert.Contains("reading the sweep's finished runs", stages[0]);

        // Asked again with nothing new finished: the same ticket, not a second fit.
        var lawFit = fixture.Grains.GetGrain<ILawFitGrain>("law-fit-predict");
        Assert.Equal(await lawFit.StartPrediction(request), await lawFit.StartPrediction(request with { Schedules = null }));
        // A ticket the grain never gave is unknown: the caller asks again rather than waits forever.
        Assert.Equal(PredictionProgress.Unknown, await lawFit.GetPrediction(999));
    }

    [Fact]
    public async Task A_version_number_is_stored_before_it_is_handed_out_so_a_silo_that_dies_mid_fit_cannot_hand_it_out_again()
    {
        var sweep = fixture.Grains.GetGrain<ISweepGrain>("law-fit-numbers");
        await sweep.Start(SweepGrainTests.Spec("law-fit-numbers"));
        await Eventually.UntilAsync(sweep.GetStatus, s => s.IsCompleted, "the sweep to complete", TimeSpan.FromMinutes(2));
        var lawFit = fixture.Grains.GetGrain<ILawFitGrain>("law-fit-numbers");

        var refit = await lawFit.Start([KnownLaws.Chinchilla, KnownLaws.OptimalLr], bootstrap: null, reportToSweep: false);

        // What a new activation would read, should this one's silo die now, with the fit still running.
        var storage = fixture.Cluster.Silos[0].ServiceProvider.GetRequiredKeyedService<IGrainStorage>(StorageNames.Sweeps);
        var stored = new GrainState<LawFitGrainState>();
        await storage.ReadStateAsync("fits", lawFit.GetGrainId(), stored);
        Assert.Equal(refit, stored.State!.LastVersion);
    }
}
