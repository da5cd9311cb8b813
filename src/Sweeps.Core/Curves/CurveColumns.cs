namespace Sweeps.Core.Curves;

/// <summary>
/// Which CSV columns hold a curve's step, loss and LR. The standard curve CSV is <c>step,lr,loss</c>;
/// logs exported from elsewhere name them otherwise (W&amp;B: <c>_step</c>, <c>train/loss</c>, …) and
/// are read leniently: rows without a loss are skipped, the LR column may be missing or sparse (the
/// schedule then gives it), and other columns may hold anything.
/// </summary>
public sealed record CurveColumns(string Step, string Loss, string Lr)
{
    public static CurveColumns Standard { get; } = new("step", "loss", "lr");

    /// <summary>W&amp;B's run-history export: <c>_step</c>, with loss and LR logged as <c>loss</c> and <c>lr</c> unless mapped.</summary>
    public static CurveColumns Wandb { get; } = new("_step", "loss", "lr");

    public bool IsStandard => this == Standard;

    /// <summary>
    /// <c>step=_step,loss=train/loss,lr=train/lr</c>: any of the three, the others staying standard;
    /// <c>wandb</c> stands for <c>step=_step</c>. Later entries win. Null and a message when it cannot be read.
    /// </summary>
    public static (CurveColumns? Columns, string? Error) Parse(string text)
    {
        var columns = Standard;
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (part.Equals("wandb", StringComparison.OrdinalIgnoreCase))
            {
                columns = columns with { Step = Wandb.Step };
                continue;
            }

            var equals = part.IndexOf('=');
            var (key, column) = equals < 0 ? (part, "") : (part[..equals].Trim().ToLowerInvariant(), part[(equals + 1)..].Trim());
            if (column.Length == 0)
            {
                return (null, $"'{part}': expected KEY=COLUMN with KEY one of step, loss, lr (or the preset wandb)");
            }

            CurveColumns? mapped = key switch
            {
                "step" => columns with { Step = column },
                "loss" => columns with { Loss = column },
                "lr" => columns with { Lr = column },
                _ => null,
            };
            if (mapped is null)
            {
                return (null, $"'{key}': unknown key; expected step, loss or lr");
            }

            columns = mapped;
        }

        return (columns, null);
    }
}
