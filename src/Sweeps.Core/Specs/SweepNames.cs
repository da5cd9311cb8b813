using System.Text.RegularExpressions;

namespace Sweeps.Core.Specs;

/// <summary>
/// What a sweep's name may be. It names the sweep's folder (<c>sweeps-data/NAME</c>), so it is one
/// plain path segment: letters, digits, '-', '_' and '.', never "." or "..", which would name the
/// data folder itself or its parent.
/// </summary>
public static partial class SweepNames
{
    public const string Rule = "may hold only letters, digits, '-', '_' and '.' (not \".\" or \"..\"), up to 100 characters";

    public static bool IsValid(string name) => Pattern().IsMatch(name) && name is not "." and not "..";

    [GeneratedRegex("^[A-Za-z0-9._-]{1,100}$")]
    private static partial Regex Pattern();

    /// <summary>
    /// Whether <paramref name="id"/> could name a sweep: an id is a name with a suffix (<c>NAME-HASH</c>),
    /// so it is made of the same characters, a little longer. Anything else cannot name one, and a
    /// reader (the HTTP API) answers "not found" without asking the cluster.
    /// </summary>
    public static bool IsPlausibleId(string id) => IdPattern().IsMatch(id) && id is not "." and not "..";

    [GeneratedRegex("^[A-Za-z0-9._-]{1,200}$")]
    private static partial Regex IdPattern();
}
