using Microsoft.Playwright;
using Sweeps.Tests;

namespace Sweeps.Silo.Tests;

/// <summary>
/// The dashboard in a real browser: Debian's chromium driven by Playwright (it cannot download its
/// own browser here). Each test keeps a screenshot under artifacts/ for CI, passing or not.
/// </summary>
[Trait(TestCategories.Trait, TestCategories.EndToEnd)]
[Collection(SiloCollection.Name)]
public sealed class DashboardBrowserTests(SiloFixture silo) : IAsyncLifetime
{
    public const string Chromium = "/usr/bin/chromium";

    private static readonly string Artifacts = Path.Combine(RepositoryPaths.Root, "artifacts");

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public async Task InitializeAsync()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: install Debian's chromium (.ci/run does)");
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }

    [Fact]
    public async Task The_curves_of_running_runs_are_drawn_as_they_grow()
    {
        var sweep = await silo.StartSweepAsync("browser-live", TestSweeps.Slow);
        var (page, errors) = await OpenAsync("sweeps/browser-live");
        try
        {
            await page.WaitForFunctionAsync("() => Number(document.querySelector('#curves-chart').dataset.running) > 0", null, Wait(TimeSpan.FromSeconds(30)));
            Assert.Contains("running (dotted)", await page.InnerTextAsync("#curves-shown"));
            Assert.True(await page.EvaluateAsync<bool>("() => document.querySelector('#curves-chart canvas')?.width > 0"));
        }
        finally
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Artifacts, "dashboard-running-curves.png"), FullPage = true });
            await sweep.Cancel();
        }

        Assert.Empty(errors);
    }

    [Fact]
    public async Task A_running_command_runs_last_output_is_shown_while_it_runs()
    {
        // A real process that logs a line, prints a point, then keeps going for a minute (the sweep is cancelled after).
        var sweep = await silo.StartSweepAsync("browser-command-log", """
            name: browser-command-log
            simulator:
              name: command
              command: ["/bin/sh", "-c", "echo 'loading shard 7' >&2; echo '{\"step\": 1, \"loss\": 2.5}'; sleep 60; echo '{\"step\": 2, \"loss\": 2.0}'"]
            grid:
              peak_lr: 0.1
              model_size: 1
              total_steps: 2
            laws: []
            """);
        var (page, errors) = await OpenAsync("sweeps/browser-command-log");
        try
        {
            await page.WaitForFunctionAsync("() => document.querySelector('#running-logs tbody')?.innerText.includes('loading shard 7')", null, Wait(TimeSpan.FromSeconds(30)));
            Assert.False(await page.EvaluateAsync<bool>("() => document.querySelector('#running-logs-section').classList.contains('hidden')"));
            Assert.Contains("1 / 2", await page.InnerTextAsync("#running-logs tbody")); // step 1 of 2
        }
        finally
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Artifacts, "dashboard-running-command-log.png"), FullPage = true });
            await sweep.Cancel();
        }

        Assert.Empty(errors);
    }

    [Fact]
    public async Task An_ingested_sweeps_page_counts_its_curves_draws_them_and_maps_their_final_losses()
    {
        // The 25M curves ingested as sweeps ingest does it: the sweep started, then each curve handed to its run grain.
        var curves = Core.Curves.CurveManifest.Load(RepositoryPaths.Mpl25mManifest).Manifest!.Curves;
        var spec = Core.Curves.IngestedSweep.Spec("browser-ingested", curves, []).Spec!;
        var sweep = silo.Grains.GetGrain<Contracts.ISweepGrain>("browser-ingested");
        await sweep.Start(spec);
        for (var i = 0; i < curves.Count; i++)
        {
            var curve = curves[i].Curve;
            await silo.Grains.GetGrain<Contracts.IRunGrain>(Contracts.RunKeys.Of("browser-ingested", Core.Grid.RunDefinition.IdOf(i)))
                .Ingest(new Contracts.RunResult("browser-ingested", i, Contracts.RunStatus.Ingested, curve.FinalLoss, curve, null, 0));
        }

        await SiloFixture.WaitUntilEndedAsync(sweep);
        var (page, errors) = await OpenAsync("sweeps/browser-ingested");
        try
        {
            await page.WaitForFunctionAsync("() => document.querySelector('#curves-shown')?.textContent.startsWith('9 curves')", null, Wait(TimeSpan.FromSeconds(30)));
            Assert.StartsWith("9 / 9 runs (100%)", await page.InnerTextAsync("#progress-text"));
            Assert.Contains("ingested 9", await page.InnerTextAsync("#counts"));
            Assert.Contains("Best so far", await page.InnerTextAsync("#progress-section"));
        }
        finally
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Artifacts, "dashboard-ingested.png"), FullPage = true });
        }

        Assert.Empty(errors);
    }

    [Fact]
    public async Task A_running_sweeps_page_shows_progress_advance_without_reload_then_its_heatmap_and_fitted_laws()
    {
        await silo.StartSweepAsync("browser-1", TestSweeps.Watchable);
        var (page, errors) = await OpenAsync("sweeps/browser-1");
        var navigations = 0;
        page.FrameNavigated += (_, frame) => navigations += frame == page.MainFrame ? 1 : 0;
        try
        {
            // The count of finished runs on the page rises, twice, while the page stays loaded.
            var first = await FinishedAboveAsync(page, 0);
            var second = await FinishedAboveAsync(page, first);
            var third = await FinishedAboveAsync(page, second);
            Assert.True(first < second && second < third);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Artifacts, "dashboard-sweep-running.png"), FullPage = true });

            await page.WaitForFunctionAsync("() => document.querySelector('#sweep-state').textContent === 'completed'", null, Wait(TimeSpan.FromMinutes(3)));
            await page.WaitForFunctionAsync("() => Number(document.querySelector('#chinchilla-chart').dataset.points) > 0", null, Wait(TimeSpan.FromSeconds(30)));

            Assert.Equal(0, navigations);
            Assert.Equal("126", await page.GetAttributeAsync("#progress-text", "data-finished"));
            // The heatmap: the cells of one (model size, horizon, schedule) slice, drawn on a canvas.
            Assert.Equal("14", await page.GetAttributeAsync("#heatmap", "data-cells"));
            Assert.True(await page.EvaluateAsync<bool>("() => document.querySelector('#heatmap canvas')?.width > 0"));
            // The fitted laws: coefficients and charts of the best loss per scale and of the optimal LR.
            Assert.True(await page.IsVisibleAsync("#laws-section"));
            Assert.Equal("9", await page.GetAttributeAsync("#chinchilla-chart", "data-points"));
            Assert.Equal("9", await page.GetAttributeAsync("#optimal-lr-chart", "data-points"));
            Assert.Contains("chinchilla", await page.InnerTextAsync("#coefficients"));
            Assert.Matches(@"alpha = [^,]+ \[[^\]]+\]", await page.InnerTextAsync("#coefficients")); // with its interval
            Assert.True(await page.EvaluateAsync<bool>("() => document.querySelector('#optimal-lr-chart canvas')?.width > 0"));
            Assert.Contains("cosine", await page.InnerTextAsync("#selected-run")); // the best run's schedule is shown
        }
        finally
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Artifacts, "dashboard-sweep.png"), FullPage = true });
        }

        Assert.Empty(errors);
    }

    [Fact]
    public async Task Runs_stopped_early_are_counted_drawn_and_listed_with_the_rules_reason()
    {
        await SiloFixture.WaitUntilEndedAsync(await silo.StartSweepAsync("browser-stopping", TestSweeps.Stopping));
        var (page, errors) = await OpenAsync("sweeps/browser-stopping");
        try
        {
            await page.WaitForFunctionAsync("() => document.querySelector('#sweep-state').textContent === 'completed'", null, Wait(TimeSpan.FromSeconds(30)));
            Assert.Matches(@"stopped \d+", await page.InnerTextAsync("#counts"));
            // Each stopped run is listed with the decision its run grain kept: the step, the rule and what it compared.
            await page.WaitForFunctionAsync("() => [...document.querySelectorAll('#problem-runs tbody tr.stopped')].some(r => r.innerText.includes('by rule asha'))",
                null, Wait(TimeSpan.FromSeconds(30)));
            Assert.Contains("is not among the best 1/3", await page.InnerTextAsync("#problem-runs"));
        }
        finally
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Artifacts, "dashboard-stopped-runs.png"), FullPage = true });
        }

        Assert.Empty(errors);
    }

    [Fact]
    public async Task The_front_page_lists_the_sweeps_and_the_silos_and_links_to_each_sweep()
    {
        await SiloFixture.WaitUntilEndedAsync(await silo.StartSweepAsync("browser-list", TestSweeps.Small));
        var (page, errors) = await OpenAsync("");
        try
        {
            var row = page.Locator("#sweeps tr[data-id='browser-list']");
            await row.WaitForAsync(new LocatorWaitForOptions { Timeout = 30_000 });
            Assert.Contains("completed", await row.InnerTextAsync());
            Assert.Contains("84 / 84", await row.InnerTextAsync());
            Assert.Contains("active", await page.InnerTextAsync("#silos"));

            await row.Locator("a").ClickAsync();
            await page.WaitForURLAsync("**/sweeps/browser-list");
            await page.WaitForFunctionAsync("() => document.querySelector('#sweep-state').textContent === 'completed'", null, Wait(TimeSpan.FromSeconds(30)));
            // Diverged runs are listed, not hidden.
            await page.WaitForFunctionAsync("() => document.querySelectorAll('#problem-runs tbody tr.diverged').length > 0", null, Wait(TimeSpan.FromSeconds(30)));
        }
        finally
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Artifacts, "dashboard-front.png"), FullPage = true });
        }

        Assert.Empty(errors);
    }

    [Fact]
    public async Task The_prediction_at_a_new_scale_is_shown_beside_the_swept_optima()
    {
        await SiloFixture.WaitUntilEndedAsync(await silo.StartSweepAsync("browser-predict", TestSweeps.Small));
        var (page, errors) = await OpenAsync("sweeps/browser-predict");
        try
        {
            await page.WaitForFunctionAsync("() => document.querySelector('#sweep-state').textContent === 'completed'", null, Wait(TimeSpan.FromSeconds(30)));
            // The form suggests 8× the largest swept size (256) and horizon (800).
            Assert.Equal("2048", await page.InputValueAsync("#predict-model-size"));
            Assert.Equal("6400", await page.InputValueAsync("#predict-total-steps"));

            await page.ClickAsync("#predict-button");
            await page.WaitForFunctionAsync("() => Number(document.querySelector('#predict-lr-chart').dataset.predicted) > 0", null, Wait(TimeSpan.FromMinutes(2)));

            var answer = await silo.Http.GetStringAsync("/api/sweeps/browser-predict/predict?model_size=2048&total_steps=6400");
            var recommended = System.Text.Json.JsonDocument.Parse(answer).RootElement.GetProperty("prediction").GetProperty("optimal_peak_lr").GetDouble();
            Assert.Equal(recommended, double.Parse((await page.GetAttributeAsync("#predict-lr-chart", "data-predicted"))!, System.Globalization.CultureInfo.InvariantCulture), recommended * 1e-12);
            var table = await page.InnerTextAsync("#predict-table");
            Assert.Contains("recommended peak LR", table);
            Assert.Contains("divergence risk", table);
            Assert.Contains("extrapolating 8", await page.InnerTextAsync("#predict-warnings"));
            Assert.True(await page.EvaluateAsync<bool>("() => document.querySelector('#predict-lr-chart canvas')?.width > 0"));
        }
        finally
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Artifacts, "dashboard-predict.png"), FullPage = true });
        }

        Assert.Empty(errors);
    }

    /// <summary>A page at <paramref name="path"/>, and the errors its console and scripts report.</summary>
    private async Task<(IPage Page, List<string> Errors)> OpenAsync(string path)
    {
        Directory.CreateDirectory(Artifacts);
        var page = await _browser!.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 1000 } });
        var errors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                lock (errors)
                {
                    errors.Add(message.Text);
                }
            }
        };
        page.PageError += (_, error) =>
        {
            lock (errors)
            {
                errors.Add(error);
            }
        };
        await page.GotoAsync(new Uri(silo.BaseAddress, path).ToString());
        return (page, errors);
    }

    private static async Task<int> FinishedAboveAsync(IPage page, int value)
    {
        await page.WaitForFunctionAsync($"() => Number(document.querySelector('#progress-text').dataset.finished) > {value}", null, Wait(TimeSpan.FromSeconds(60)));
        return int.Parse((await page.GetAttributeAsync("#progress-text", "data-finished"))!);
    }

    private static PageWaitForFunctionOptions Wait(TimeSpan timeout) => new() { Timeout = (float)timeout.TotalMilliseconds, PollingInterval = 100 };
}
