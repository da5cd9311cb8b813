namespace Sweeps.Kernels;

/// <summary>
/// The river-valley paper's toy language (§4): n cities, m names; city i names its people from a
/// distribution P_i. Deterministic cities put 0.99 on one name (entropy ≤ 0.13 nats for m ≤ 1000,
/// below the paper's 0.2); stochastic cities draw P_i ∝ exp(z/2), z ~ N(0, I) (entropy above 1 nat,
/// redrawn until it is). The language depends on its own seed only, so runs with different training
/// seeds see the same language and the same loss floor, the mean conditional entropy
/// <c>(1/n) Σ_i H(P_i)</c>.
/// </summary>
public sealed class BigramLanguage
{
    private const double DeterministicMass = 0.99;

    private BigramLanguage(int cities, int names, double[] probabilities)
    {
        Cities = cities;
        Names = names;
        Probabilities = probabilities;
        Cumulative = new double[probabilities.Length];
        for (var i = 0; i < cities; i++)
        {
            var sum = 0.0;
            for (var j = 0; j < names; j++)
            {
                sum += probabilities[i * names + j];
                Cumulative[i * names + j] = sum;
            }

            Cumulative[i * names + names - 1] = 1.0; // no sample falls past the last name through rounding
        }

        Entropies = Enumerable.Range(0, cities).Select(i => Entropy(probabilities.AsSpan(i * names, names))).ToArray();
    }

    public int Cities { get; }

    public int Names { get; }

    /// <summary>P, row-major (city i's names at [i·m, (i+1)·m)).</summary>
    public double[] Probabilities { get; }

    /// <summary>Per-city cumulative distribution, for sampling a name.</summary>
    public double[] Cumulative { get; }

    /// <summary>H(P_i) in nats.</summary>
    public double[] Entropies { get; }

    /// <summary>The population loss of the Bayes-optimal model: the mean conditional entropy.</summary>
    public double LossFloor => Entropies.Average();

    /// <param name="stochasticFraction">The share of stochastic cities (cities 0 to ⌊fraction·n⌋ − 1; the order does not matter to the loss).</param>
    public static BigramLanguage Create(int cities, int names, double stochasticFraction, ulong seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(cities, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(names, 3); // a stochastic city needs entropy > 1 > ln 2
        var random = new SplitMix64(seed);
        var stochastic = (int)Math.Floor(stochasticFraction * cities);
        var p = new double[cities * names];
        for (var i = 0; i < cities; i++)
        {
            var row = p.AsSpan(i * names, names);
            if (i < stochastic)
            {
                do
                {
                    var sum = 0.0;
                    for (var j = 0; j < names; j++)
                    {
                        row[j] = Math.Exp(0.5 * random.NextGaussian());
                        sum += row[j];
                    }

                    for (var j = 0; j < names; j++)
                    {
                        row[j] /= sum;
                    }
                }
                while (Entropy(row) <= 1);
            }
            else
            {
                row.Fill((1 - DeterministicMass) / (names - 1));
                row[random.NextInt(names)] = DeterministicMass;
            }
        }

        return new BigramLanguage(cities, names, p);
    }

    /// <summary>The index of a name drawn from city <paramref name="city"/> for a uniform <paramref name="u"/> in [0, 1).</summary>
    public int Name(int city, double u)
    {
        var row = Cumulative.AsSpan(city * Names, Names);
        var j = 0;
        while (row[j] <= u)
        {
            j++;
        }

        return j;
    }

    private static double Entropy(ReadOnlySpan<double> p)
    {
        var h = 0.0;
        foreach (var q in p)
        {
            h -= q > 0 ? q * Math.Log(q) : 0;
        }

        return h;
    }
}
