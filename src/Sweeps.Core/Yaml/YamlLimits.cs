using YamlDotNet.RepresentationModel;

namespace Sweeps.Core.Yaml;

/// <summary>
/// What a YAML input may hold before it is parsed or walked. The parser recurses once per nesting
/// level, so 100,000 nested <c>[</c> overflow the stack and kill the process (no exception can be
/// caught); aliases share nodes, so a few lines of anchors can name 10^9 values (an alias bomb) that a
/// walk of the document would visit one by one. Specs and manifests nest a few levels and hold a few
/// thousand values; the limits are far above that and far below harm.
/// </summary>
public static class YamlLimits
{
    /// <summary>The deepest nesting of mappings and sequences, block and flow together.</summary>
    public const int MaximumDepth = 64;

    /// <summary>The most nodes a document may hold with every alias expanded.</summary>
    public const long MaximumExpandedNodes = 1_000_000;

    /// <summary>
    /// An upper bound on the document's nesting, read from its text: flow brackets outside quotes and
    /// comments, plus block levels (each needs more indentation, or a <c>- </c> on the same line).
    /// </summary>
    public static int NestingBound(string text)
    {
        int flow = 0, maximumFlow = 0, maximumBlock = 0;
        var indents = new Stack<int>();
        foreach (var rawLine in text.Split('\n'))
        {
            var line = rawLine.TrimEnd('\r');
            var column = 0;
            while (column < line.Length && line[column] == ' ')
            {
                column++;
            }

            if (flow == 0 && column < line.Length && line[column] != '#')
            {
                while (indents.Count > 0 && indents.Peek() >= column)
                {
                    indents.Pop();
                }

                indents.Push(column);
                // "- - - x": each dash opens a sequence nested in the one before.
                for (var c = column; c + 1 < line.Length && line[c] == '-' && line[c + 1] == ' '; c += 2)
                {
                    indents.Push(c + 2);
                }

                maximumBlock = Math.Max(maximumBlock, indents.Count);
            }

            char? quote = null;
            for (var c = column; c < line.Length; c++)
            {
                var ch = line[c];
                if (quote is { } open)
                {
                    quote = ch == open ? null : quote;
                }
                else if (ch is '"' or '\'')
                {
                    quote = ch;
                }
                else if (ch == '#' && (c == 0 || char.IsWhiteSpace(line[c - 1])))
                {
                    break;
                }
                else if (ch is '[' or '{')
                {
                    maximumFlow = Math.Max(maximumFlow, ++flow);
                }
                else if (ch is ']' or '}')
                {
                    flow = Math.Max(0, flow - 1);
                }
            }
        }

        return maximumBlock + maximumFlow;
    }

    /// <summary>The document's node count with every alias expanded, counted without expanding (each shared node once, memoised); long.MaxValue for a cycle.</summary>
    public static long ExpandedNodes(YamlNode root)
    {
        var counted = new Dictionary<YamlNode, long>(ReferenceEqualityComparer.Instance);
        var open = new HashSet<YamlNode>(ReferenceEqualityComparer.Instance);

        long Count(YamlNode node)
        {
            if (counted.TryGetValue(node, out var known))
            {
                return known;
            }

            if (!open.Add(node))
            {
                return long.MaxValue; // an alias to an enclosing node: infinite when expanded
            }

            var children = node switch
            {
                YamlMappingNode map => map.Children.SelectMany(pair => new[] { pair.Key, pair.Value }),
                YamlSequenceNode sequence => sequence.Children,
                _ => [],
            };
            long total = 1;
            foreach (var child in children)
            {
                var size = Count(child);
                total = size > MaximumExpandedNodes - total ? long.MaxValue : total + size;
                if (total == long.MaxValue)
                {
                    break;
                }
            }

            open.Remove(node);
            counted[node] = total;
            return total;
        }

        return Count(root);
    }
}
