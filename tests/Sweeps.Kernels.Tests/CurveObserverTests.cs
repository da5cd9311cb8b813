using Sweeps.Core.Schedules;

namespace Sweeps.Kernels.Tests;

public class CurveObserverTests
{
    private sealed class Recorder : ICurveObserver
    {
        public List<(int Step, double Lr, double Loss)> Points { get; } = [];

        public void Recorded(int step, double lr, double loss) => Points.Add((step, lr, loss));
    }

    private static double[] Wsd(double decayStart) => Schedule.Evaluate(new ScheduleSpec
    {
        Kind = ScheduleKind.Wsd,
        PeakLr = 0.05,
        FinalLrRatio = 0.01,
        DecayStart = (int)(decayStart * 1600),
        DecayShape = DecayShape.Linear,
        WarmupSteps = 100,
        TotalSteps = 1600,
    });

    private static KernelRun Run(double[] lr, ICurveObserver? observer) =>
        new(lr, 64, 1, new Dictionary<string, double>(), CurvePoints: 41) { Observer = observer };

    private static void AssertSawTheCurve(Recorder recorder, KernelResult result)
    {
        Assert.Equal(result.Curve.Steps, recorder.Points.Select(p => p.Step));
        Assert.Equal(result.Curve.Lr, recorder.Points.Select(p => p.Lr));
        Assert.Equal(result.Curve.Loss, recorder.Points.Select(p => p.Loss));
    }

    [Theory]
    [MemberData(nameof(PrefixCacheTests.SteppedKernels), MemberType = typeof(PrefixCacheTests))]
    public void An_observer_sees_every_point_of_the_finished_curve_in_order_and_changes_nothing(string name)
    {
        var kernel = (SteppedKernel)KernelCatalog.Default.Get(name);
        var recorder = new Recorder();

        var watched = kernel.Run(Run(Wsd(0.8), recorder));
        var unwatched = kernel.Run(Run(Wsd(0.8), null));

        AssertSawTheCurve(recorder, watched);
        Assert.Equal(unwatched.Curve.Loss, watched.Curve.Loss);
    }

    [Theory]
    [MemberData(nameof(PrefixCacheTests.SteppedKernels), MemberType = typeof(PrefixCacheTests))]
    public void A_run_continued_from_a_checkpoint_shows_its_observer_the_shared_points_too(string name)
    {
        var kernel = (SteppedKernel)KernelCatalog.Default.Get(name);
        var cache = new PrefixCache();
        kernel.Run(Run(Wsd(0.9), null), cache);
        var recorder = new Recorder();

        var shared = kernel.Run(Run(Wsd(0.6), recorder), cache);

        Assert.True(shared.SimulatedSteps < 1600); // it did start from the other run's checkpoint
        AssertSawTheCurve(recorder, shared);
    }

    [Fact]
    public void A_cancelled_run_has_shown_its_observer_the_points_recorded_before_it_stopped()
    {
        var kernel = (SteppedKernel)KernelCatalog.Default.Get("quadratic");
        using var cancel = new CancellationTokenSource();
        var recorder = new CancellingRecorder(cancel, after: 5);

        Assert.ThrowsAny<OperationCanceledException>(() => kernel.Run(Run(Wsd(0.8), recorder), cancel.Token));

        var full = kernel.Run(Run(Wsd(0.8), null));
        Assert.Equal(full.Curve.Steps.Take(5), recorder.Points.Select(p => p.Step));
    }

    private sealed class CancellingRecorder(CancellationTokenSource cancel, int after) : ICurveObserver
    {
        public List<(int Step, double Lr, double Loss)> Points { get; } = [];

        public void Recorded(int step, double lr, double loss)
        {
            Points.Add((step, lr, loss));
            if (Points.Count == after)
            {
                cancel.Cancel();
            }
        }
    }
}
