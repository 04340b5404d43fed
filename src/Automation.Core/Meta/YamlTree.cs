using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Automation.Core.Meta;

/// <summary>A YAML node as PyYAML's composer builds it: aliases are the same node object as their anchor.</summary>
internal abstract record YamlTreeNode(string Tag, Mark Start);

internal sealed record YamlTreeScalar(string Tag, Mark Start, string Value) : YamlTreeNode(Tag, Start);

internal sealed record YamlTreeSequence(string Tag, Mark Start, List<YamlTreeNode> Items) : YamlTreeNode(Tag, Start);

internal sealed record YamlTreeMapping(string Tag, Mark Start, List<(YamlTreeNode Key, YamlTreeNode Value)> Pairs) : YamlTreeNode(Tag, Start);

/// <summary>
/// Composes the single document of a YAML stream from YamlDotNet's parser events (its YamlStream refuses duplicate
/// keys, which PyYAML accepts), resolving plain scalars' tags as PyYAML does. Aliases share their anchor's node, so
/// composing stays linear in the text; expansion is bounded later, when the tree is turned into JSON.
/// </summary>
internal sealed class YamlComposer(string file)
{
    private const int MaxDepth = 500;
    private readonly Dictionary<string, YamlTreeNode> anchors = new(StringComparer.Ordinal);
    private readonly HashSet<string> open = new(StringComparer.Ordinal);

    /// <summary>The document's root, or null for an empty stream (PyYAML's None).</summary>
    public YamlTreeNode? Compose(string text)
    {
        var scanner = new Scanner(new StringReader(text));
        try
        {
            var parser = new Parser(scanner);
            parser.Consume<StreamStart>();
            if (parser.TryConsume<StreamEnd>(out _)) return null;
            parser.Consume<DocumentStart>();
            var root = Node(parser, 0);
            parser.Consume<DocumentEnd>();
            if (parser.Accept<DocumentStart>(out var next))
                throw Error(next.Start, "expected a single document in the stream, but found another document");
            parser.Consume<StreamEnd>();
            return root;
        }
        catch (YamlException e) when (e is not MetaYamlException)
        {
            throw new MetaException("malformed YAML: " + e.Message.TrimEnd('.'), file, line: (int)(e.Start.Line), column: (int)(e.Start.Column));
        }
        catch (MetaYamlException e)
        {
            throw new MetaException("malformed YAML: " + e.Message, file, line: (int)(e.Start.Line), column: (int)(e.Start.Column));
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or IndexOutOfRangeException or NullReferenceException)
        {
            // YamlDotNet's scanner throws these on some malformed input (an unclosed flow sequence running into a key);
            // where it stopped is the best position there is.
            var at = scanner.CurrentPosition;
            throw new MetaException("malformed YAML: the YAML scanner stopped here (an unclosed [ or { ?)", file, line: (int)at.Line, column: (int)at.Column);
        }
    }

    private YamlTreeNode Node(IParser parser, int depth)
    {
        if (depth > MaxDepth) throw Error(parser.Current!.Start, $"nested deeper than {MaxDepth} levels");
        if (parser.TryConsume<AnchorAlias>(out var alias))
        {
            var name = alias.Value.Value;
            if (open.Contains(name)) throw Error(alias.Start, $"alias '{name}' refers to a node that contains it (a recursive structure cannot be a meta)");
            return anchors.TryGetValue(name, out var target) ? target : throw Error(alias.Start, $"found undefined alias '{name}'");
        }
        var start = (NodeEvent)parser.Current!;
        var anchor = start.Anchor.IsEmpty ? null : start.Anchor.Value;
        if (anchor is not null)
        {
            // PyYAML's composer refuses a second anchor of the same name.
            if (anchors.ContainsKey(anchor) || open.Contains(anchor)) throw Error(start.Start, $"found duplicate anchor '{anchor}'");
            open.Add(anchor);
        }
        var tag = start.Tag.IsEmpty ? null : start.Tag.Value;
        YamlTreeNode node;
        switch (start)
        {
            case Scalar scalar:
                parser.MoveNext();
                // PyYAML resolves a plain untagged scalar, and any scalar tagged with the non-specific `!`, by its regexes.
                var resolve = (scalar.Style == ScalarStyle.Plain && tag is null) || tag == "!";
                node = new YamlTreeScalar(resolve ? PyYamlScalar.Resolve(scalar.Value) : tag ?? PyYamlScalar.StrTag, scalar.Start, scalar.Value);
                break;
            case SequenceStart:
                parser.MoveNext();
                var items = new List<YamlTreeNode>();
                while (!parser.TryConsume<SequenceEnd>(out _)) items.Add(Node(parser, depth + 1));
                node = new YamlTreeSequence(tag is null or "!" ? "tag:yaml.org,2002:seq" : tag, start.Start, items);
                break;
            case MappingStart:
                parser.MoveNext();
                var pairs = new List<(YamlTreeNode, YamlTreeNode)>();
                while (!parser.TryConsume<MappingEnd>(out _))
                {
                    var key = Node(parser, depth + 1);
                    pairs.Add((key, Node(parser, depth + 1)));
                }
                node = new YamlTreeMapping(tag is null or "!" ? "tag:yaml.org,2002:map" : tag, start.Start, pairs);
                break;
            default:
                throw Error(start.Start, $"unexpected {start.GetType().Name}");
        }
        if (anchor is not null)
        {
            open.Remove(anchor);
            anchors[anchor] = node;
        }
        return node;
    }

    private static MetaYamlException Error(Mark at, string message) => new(at, message);

    /// <summary>A composition error of ours, raised through the parser's exception type to share its handling.</summary>
    private sealed class MetaYamlException(Mark at, string message) : YamlException(at, at, message);
}
