using Sweeps.Core.Yaml;
using YamlDotNet.RepresentationModel;

namespace Sweeps.Core.Tests;

public class YamlLimitsTests
{
    [Theory]
    [InlineData("a: 1", 1)]
    [InlineData("a:\n  b:\n    c: 1", 3)]
    [InlineData("a: [1, [2, {b: 3}]]", 4)]
    [InlineData("a:\n  - - - x", 5)] // an upper bound: the line and its first dash count apart
    [InlineData("a: '[[[[' # [[[[", 1)]
    [InlineData("a: \"{{{{\"", 1)]
    public void The_nesting_bound_counts_block_levels_dashes_and_brackets_but_not_quotes_or_comments(string text, int bound)
    {
        Assert.Equal(bound, YamlLimits.NestingBound(text));
    }

    [Fact]
    public void The_nesting_bound_is_never_below_the_parsed_depth()
    {
        const string text = "grid:\n  peak_lr: {log_space: [0.01, 1], points: 3}\n  schedule:\n    - {kind: wsd, stages: [[1, 2], [3, 4]]}\n";
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        static int Depth(YamlNode node) => node switch
        {
            YamlMappingNode map => 1 + map.Children.Values.Select(Depth).DefaultIfEmpty(0).Max(),
            YamlSequenceNode sequence => 1 + sequence.Children.Select(Depth).DefaultIfEmpty(0).Max(),
            _ => 0,
        };

        Assert.True(YamlLimits.NestingBound(text) >= Depth(stream.Documents[0].RootNode));
    }

    [Fact]
    public void Expanded_nodes_count_every_alias_use_without_expanding()
    {
        var stream = new YamlStream();
        stream.Load(new StringReader("a: &a [1, 2, 3]\nb: [*a, *a, *a]\n"));
        // root 1 + key a 1 + [1,2,3] 4 + key b 1 + [*a ×3] 1 + 3·4 = 20
        Assert.Equal(20, YamlLimits.ExpandedNodes(stream.Documents[0].RootNode));
    }
}
