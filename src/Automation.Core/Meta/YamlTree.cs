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
    private const int MaxDepth = MetaLimits.MaxDepth;
    private readonly Dictionary<string, YamlTreeNode> anchors = new(StringComparer.Ordinal);
    private readonly HashSet<string> open = new(StringComparer.Ordinal);

    /// <summary>The document's root, or null for an empty stream (PyYAML's None).</summary>
    public YamlTreeNode? Compose(string text)
    {
        RefuseTabsPyYamlRefuses(text);
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
        // The root is level 1, as Newtonsoft counts a JSON meta's levels.
        if (depth >= MaxDepth) throw Error(parser.Current!.Start, $"nested deeper than {MaxDepth} levels (a meta's limit; docs/meta-reference.md)");
        if (parser.TryConsume<AnchorAlias>(out var alias))
        {
            var name = alias.Value.Value;
            CheckAnchorName(name, alias.Start);
            if (open.Contains(name)) throw Error(alias.Start, $"alias '{name}' refers to a node that contains it (a recursive structure cannot be a meta)");
            return anchors.TryGetValue(name, out var target) ? target : throw Error(alias.Start, $"found undefined alias '{name}'");
        }
        // YamlDotNet lets some malformed input through as a stray end event where a node belongs (`  : key:`); PyYAML refuses it.
        if (parser.Current is not NodeEvent start)
            throw Error(parser.Current!.Start, "expected a node here (a key, value or list item)");
        var anchor = start.Anchor.IsEmpty ? null : start.Anchor.Value;
        if (anchor is not null)
        {
            CheckAnchorName(anchor, start.Start);
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
                throw Error(start.Start, "expected a node here (a key, value or list item)");
        }
        if (anchor is not null)
        {
            open.Remove(anchor);
            anchors[anchor] = node;
        }
        return node;
    }

    private static MetaYamlException Error(Mark at, string message) => new(at, message);

    /// <summary>
    /// PyYAML ends an anchor name at the first character that is not a letter, digit, `-` or `_`; YamlDotNet (YAML 1.2)
    /// takes more (`&amp;env:` is the anchor `env:` to it, but `&amp;env` then `:` to PyYAML). Such a name is refused rather
    /// than read differently from CM.
    /// </summary>
    private static void CheckAnchorName(string name, Mark at)
    {
        if (!name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            throw Error(at, $"the anchor or alias name '{name}' has characters PyYAML does not take into a name (only letters, digits, - and _)");
    }

    /// <summary>
    /// PyYAML takes a tab only inside quoted and block scalars and comments; anywhere else (after `key:`, inside a plain
    /// scalar, between flow items) it fails with "found character '\t' that cannot start any token", while YamlDotNet,
    /// as YAML 1.2 allows, reads on. Such a meta is refused here too, at the tab.
    /// </summary>
    private void RefuseTabsPyYamlRefuses(string text)
    {
        if (!text.Contains('\t')) return;
        var allowed = new List<(long From, long To)>();
        var scanner = new Scanner(new StringReader(text), skipComments: false);
        var scanned = (long)text.Length;
        try
        {
            // The scanner repeats an Error token forever where the parser would throw; stop at the first.
            for (var tokens = 0; scanner.MoveNext() && tokens < 4 * text.Length + 16; tokens++)
            {
                if (scanner.Current is YamlDotNet.Core.Tokens.Error error)
                {
                    scanned = error.Start.Index;
                    break;
                }
                if (scanner.Current is YamlDotNet.Core.Tokens.Scalar { Style: not ScalarStyle.Plain } or YamlDotNet.Core.Tokens.Comment)
                    allowed.Add((scanner.Current.Start.Index, scanner.Current.End.Index));
            }
        }
        catch (Exception e) when (e is YamlException or InvalidOperationException or ArgumentException or IndexOutOfRangeException or NullReferenceException)
        {
            // The parse reports what stopped the scanner; only the tabs up to there are judged here.
            scanned = scanner.CurrentPosition.Index;
        }
        for (var i = text.IndexOf('\t'); i >= 0 && i <= scanned; i = text.IndexOf('\t', i + 1))
        {
            if (allowed.Any(a => i >= a.From && i < a.To)) continue;
            var line = 1 + text.AsSpan(0, i).Count('\n');
            var lineStart = i == 0 ? 0 : text.LastIndexOf('\n', i - 1) + 1;
            throw new MetaException("malformed YAML: found character '\\t' that cannot start any token (PyYAML takes tabs only in quoted or block scalars and comments)",
                file, line: line, column: i - lineStart + 1);
        }
    }

    /// <summary>A composition error of ours, raised through the parser's exception type to share its handling.</summary>
    private sealed class MetaYamlException(Mark at, string message) : YamlException(at, at, message);
}
