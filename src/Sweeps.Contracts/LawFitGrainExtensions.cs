namespace Sweeps.Contracts;

/// <summary>A caller's side of a prediction: start it on the law-fit grain, then ask until it ends.</summary>
public static class LawFitGrainExtensions
{
    /// <summary>How often a caller asks whether its prediction has ended.</summary>
    public static TimeSpan PollPeriod { get; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// Predicts <paramref name="request"/> from sweep <paramref name="sweepId"/> on its law-fit grain
    /// and waits for the end, telling <paramref name="stage"/> each stage as the grain reaches it.
    /// Returns the ended progress, or <see cref="PredictionProgress.Unknown"/> when the grain forgot
    /// the ticket (its silo stopped): asking again starts over.
    /// </summary>
    public static async Task<PredictionProgress> PredictAsync(this IGrainFactory grains, string sweepId, PredictionRequest request,
        Action<string>? stage = null, CancellationToken cancellationToken = default)
    {
        var lawFit = grains.GetGrain<ILawFitGrain>(sweepId);
        var ticket = await lawFit.StartPrediction(request);
        var told = 0;
        while (true)
        {
            var progress = await lawFit.GetPrediction(ticket);
            foreach (var line in progress.Stages.Skip(told))
            {
                stage?.Invoke(line);
            }

            told = progress.Stages.Count;
            if (!progress.Running)
            {
                return progress;
            }

            await Task.Delay(PollPeriod, cancellationToken);
        }
    }
}
