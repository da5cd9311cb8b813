using Sweeps.Laws.Curves;

namespace Sweeps.Laws.Scaling;

/// <summary>
/// The multi-power law across model sizes: each of the seven MPL parameters is a smooth function of
/// the model size N with its own <see cref="ScalingForm"/>, and the loss floor rises with the peak LR
/// as the law's derivation gives it (digest multi-power-law §2.5: L0 = (d/4)·η_max·μ and B = dμ/4,
/// so ∂L0/∂η_peak = B):
/// <code>
/// p(N) = p                       shared
///      = p·(N/N_ref)^p_exp       power
///      = E + k·(N/N_ref)^q       power with a floor (L0: L0_floor, L0_excess, L0_exp)
/// L0(N, η) = L0(N) + κ·B(N)·(η_peak − η_ref)      κ = lr_slope, fitted when the curves have several peaks
/// </code>
/// N_ref and η_ref are the geometric means of the fitted curves' sizes and peaks, so the coefficients
/// are the parameters at a typical fitted scale. The fit works in θ: log-values for positive
/// coefficients, plain values for exponents, floors and κ (<see cref="MultiScaleMplFit"/>).
/// </summary>
public sealed class MultiScaleMpl
{
    public MultiScaleMpl(IReadOnlyList<ScalingForm> forms, double referenceSize, double referenceLr, bool fitsLrSlope, IReadOnlyList<double> theta)
    {
        if (forms.Count != Names.Count || forms.Skip(1).Any(f => f == ScalingForm.PowerWithFloor))
        {
            throw new ArgumentException("a multi-scale MPL has seven forms, and only L0 may have a floor", nameof(forms));
        }

        Forms = forms;
        ReferenceSize = referenceSize;
        ReferenceLr = referenceLr;
        FitsLrSlope = fitsLrSlope;
        Offsets = new int[Names.Count];
        var offset = 0;
        for (var j = 0; j < Names.Count; j++)
        {
            Offsets[j] = offset;
            offset += Width(forms[j]);
        }

        ThetaLength = offset + (fitsLrSlope ? 1 : 0);
        if (theta.Count != ThetaLength)
        {
            throw new ArgumentException($"θ has {theta.Count} values; these forms take {ThetaLength}", nameof(theta));
        }

        Theta = [.. theta];
    }

    public static IReadOnlyList<string> Names => MultiPowerLawParameters.Names;

    public IReadOnlyList<ScalingForm> Forms { get; }

    public double ReferenceSize { get; }

    public double ReferenceLr { get; }

    public bool FitsLrSlope { get; }

    public double[] Theta { get; }

    public int ThetaLength { get; }

    private int[] Offsets { get; }

    private double LrSlope => FitsLrSlope ? Theta[^1] : 0;

    /// <summary>The same forms and references with other θ (a fit's trial point).</summary>
    public MultiScaleMpl With(IReadOnlyList<double> theta) => new(Forms, ReferenceSize, ReferenceLr, FitsLrSlope, theta);

    /// <summary>"L0 floor, A power, …": the forms, for reports and warnings.</summary>
    public string Structure => string.Join(", ", Names.Select((n, j) => $"{n} {FormName(Forms[j])}"));

    public static string FormName(ScalingForm form) => form switch
    {
        ScalingForm.Shared => "shared",
        ScalingForm.Power => "power",
        _ => "floor",
    };

    /// <summary>The single-scale MPL parameters of a model of <paramref name="modelSize"/> trained at peak <paramref name="peakLr"/>.</summary>
    public MultiPowerLawParameters At(double modelSize, double peakLr)
    {
        var x = Math.Log(modelSize / ReferenceSize);
        var p = Enumerable.Range(0, Names.Count).Select(j => Value(j, x)).ToArray();
        p[0] += LrSlope * p[3] * (peakLr - ReferenceLr);
        return MplLaw.From(p);
    }

    /// <summary>Predictions for a curve of a model of <paramref name="modelSize"/> (its peak LR read from the curve).</summary>
    public double[] Predict(double modelSize, MplCurve curve) => MultiPowerLaw.Predict(At(modelSize, curve.LearningRates.Max()), curve);

    /// <summary>
    /// Predictions at every curve's steps and, when <paramref name="jacobian"/> is not empty, their
    /// derivatives in θ (row-major, <see cref="ThetaLength"/> per point): the MPL's own gradient
    /// carried through each parameter's form by the chain rule. False when some parameter leaves the
    /// law's domain (a non-finite value).
    /// </summary>
    public bool Evaluate(IReadOnlyList<ScaledCurve> curves, Span<double> predictions, Span<double> jacobian)
    {
        var width = ThetaLength;
        var offset = 0;
        foreach (var curve in curves)
        {
            var n = curve.Loss.Length;
            var x = Math.Log(curve.ModelSize / ReferenceSize);
            var lrOffset = curve.PeakLr - ReferenceLr;
            var parameters = At(curve.ModelSize, curve.PeakLr);
            if (!MplLaw.ToArray(parameters).All(double.IsFinite))
            {
                return false;
            }

            var gradients = jacobian.IsEmpty ? null : new double[n * Names.Count];
            MultiPowerLaw.Evaluate(parameters, curve.Curve, predictions.Slice(offset, n), gradients);
            if (gradients is not null)
            {
                var b = Value(3, x);
                for (var i = 0; i < n; i++)
                {
                    var g = gradients.AsSpan(i * Names.Count, Names.Count);
                    var row = jacobian.Slice((offset + i) * width, width);
                    row.Clear();
                    for (var j = 0; j < Names.Count; j++)
                    {
                        // B also moves L0 through the LR term: ∂L/∂B gains ∂L/∂L0 · κ·Δη.
                        var outer = j == 3 ? g[3] + g[0] * LrSlope * lrOffset : g[j];
                        AddChain(j, x, outer, row);
                    }

                    if (FitsLrSlope)
                    {
                        row[width - 1] = g[0] * b * lrOffset;
                    }
                }
            }

            offset += n;
        }

        return true;
    }

    /// <summary>The coefficients by name (see the class comment), with n_ref, lr_ref and lr_slope: what a fit file stores.</summary>
    public IReadOnlyDictionary<string, double> Coefficients()
    {
        var coefficients = new Dictionary<string, double>();
        for (var j = 0; j < Names.Count; j++)
        {
            var name = Names[j];
            var t = Theta.AsSpan(Offsets[j]);
            switch (Forms[j])
            {
                case ScalingForm.Shared:
                    coefficients[name] = j == 0 ? t[0] : Math.Exp(t[0]);
                    break;
                case ScalingForm.Power:
                    coefficients[name] = Math.Exp(t[0]);
                    coefficients[name + "_exp"] = t[1];
                    break;
                default:
                    coefficients[name + "_floor"] = t[0];
                    coefficients[name + "_excess"] = Math.Exp(t[1]);
                    coefficients[name + "_exp"] = t[2];
                    break;
            }
        }

        coefficients["lr_slope"] = LrSlope;
        coefficients["n_ref"] = ReferenceSize;
        coefficients["lr_ref"] = ReferenceLr;
        return coefficients;
    }

    /// <summary>The law named by <see cref="Coefficients"/>' names; each parameter's form is read from which names it has.</summary>
    public static MultiScaleMpl FromCoefficients(IReadOnlyDictionary<string, double> coefficients)
    {
        double Get(string name) => coefficients.TryGetValue(name, out var value)
            ? value
            : throw new ArgumentException($"multi-scale MPL coefficients lack {name}");
        var forms = new List<ScalingForm>();
        var theta = new List<double>();
        foreach (var name in Names)
        {
            if (coefficients.ContainsKey(name + "_floor"))
            {
                forms.Add(ScalingForm.PowerWithFloor);
                theta.AddRange([Get(name + "_floor"), Math.Log(Get(name + "_excess")), Get(name + "_exp")]);
            }
            else if (coefficients.ContainsKey(name + "_exp"))
            {
                forms.Add(ScalingForm.Power);
                theta.AddRange([Math.Log(Get(name)), Get(name + "_exp")]);
            }
            else
            {
                forms.Add(ScalingForm.Shared);
                theta.Add(name == Names[0] ? Get(name) : Math.Log(Get(name)));
            }
        }

        var slope = coefficients.TryGetValue("lr_slope", out var s) ? s : 0;
        if (slope != 0)
        {
            theta.Add(slope);
        }

        return new MultiScaleMpl(forms, Get("n_ref"), Get("lr_ref"), slope != 0, theta);
    }

    /// <summary>True when a fit file's coefficients are a multi-scale MPL's rather than a single-scale one's.</summary>
    public static bool IsMultiScale(IReadOnlyDictionary<string, double> coefficients) => coefficients.ContainsKey("n_ref");

    internal static int Width(ScalingForm form) => form switch
    {
        ScalingForm.Shared => 1,
        ScalingForm.Power => 2,
        _ => 3,
    };

    internal int OffsetOf(int parameter) => Offsets[parameter];

    private double Value(int j, double x)
    {
        var t = Theta.AsSpan(Offsets[j]);
        return Forms[j] switch
        {
            ScalingForm.Shared => j == 0 ? t[0] : Math.Exp(t[0]),
            ScalingForm.Power => Math.Exp(t[0] + t[1] * x),
            _ => t[0] + Math.Exp(t[1] + t[2] * x),
        };
    }

    /// <summary>Adds ∂L/∂p_j · ∂p_j/∂θ to the θ entries of parameter j.</summary>
    private void AddChain(int j, double x, double outer, Span<double> row)
    {
        var o = Offsets[j];
        var t = Theta.AsSpan(o);
        switch (Forms[j])
        {
            case ScalingForm.Shared:
                row[o] += outer * (j == 0 ? 1 : Math.Exp(t[0]));
                break;
            case ScalingForm.Power:
                var power = Math.Exp(t[0] + t[1] * x);
                row[o] += outer * power;
                row[o + 1] += outer * power * x;
                break;
            default:
                var excess = Math.Exp(t[1] + t[2] * x);
                row[o] += outer;
                row[o + 1] += outer * excess;
                row[o + 2] += outer * excess * x;
                break;
        }
    }
}
