namespace Sweeps.Tests;

/// <summary>
/// Traits that split the suite. End-to-end tests start processes, silos, browsers or Redis and take
/// minutes; the inner loop leaves them out:
/// <c>dotnet test Sweeps.sln -c Release --filter "Category!=EndToEnd"</c> (about a minute).
/// </summary>
internal static class TestCategories
{
    public const string Trait = "Category";

    public const string EndToEnd = "EndToEnd";
}
