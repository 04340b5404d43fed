using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using YamlDotNet.Core;

namespace Automation.Core.Meta;

/// <summary>
/// Reads YAML (CM's `_cm.yaml`, MLC's `meta.yaml`) into the JSON shape of `_cm.json`, exactly as PyYAML's
/// `yaml.safe_load` reads it, because that is what CM and MLCFlow use: YAML 1.1 scalars (yes/no/on/off are
/// booleans, 0x1F and 1_000 are ints, 1.10 is the float 1.1, quoted scalars stay strings), duplicate keys (the last
/// wins, position of the first), anchors, aliases and `&lt;&lt;` merge keys. Every token keeps its line and column, so
/// the meta reader's messages point into the YAML. The bounds of <see cref="MetaLimits"/> hold: aliases may expand a
/// document to at most <see cref="MaxNodes"/> nodes (the "billion laughs" defence), nesting is refused past
/// <see cref="MetaLimits.MaxDepth"/> levels.
/// </summary>
public static class YamlMeta
{
    public const int MaxNodes = MetaLimits.MaxNodes;

    public static JObject ToJson(string yamlText, string file) => ToJson(yamlText, file, null);

    /// <param name="warn">Receives what PyYAML accepts silently but a person may want to know (duplicate keys: verbose-only).</param>
    public static JObject ToJson(string yamlText, string file, Action<MetaWarning>? warn)
    {
        MetaLimits.CheckSize(yamlText.Length, file);
        var root = new YamlComposer(file).Compose(yamlText);
        if (root is not YamlTreeMapping)
            throw new MetaException(root is null ? "the meta is empty" : "the meta is not a YAML mapping", file,
                line: (int)(root?.Start.Line ?? 0), column: (int)(root?.Start.Column ?? 0));
        // The composer already refused nesting past MetaLimits.MaxDepth; the reader's own bound must not be lower.
        using var reader = new TreeReader(root, file, warn) { MaxDepth = MetaLimits.MaxDepth + 1 };
        return (JObject)JToken.ReadFrom(reader, new JsonLoadSettings { LineInfoHandling = LineInfoHandling.Load });
    }

    /// <summary>
    /// Streams the composed tree as JSON tokens (with the YAML positions as line info), constructing each scalar and
    /// each mapping as PyYAML's SafeConstructor does; aliases are expanded here, within the node budget.
    /// </summary>
    private sealed class TreeReader(YamlTreeNode root, string file, Action<MetaWarning>? warn) : JsonReader, IJsonLineInfo
    {
        private const string Merge = "tag:yaml.org,2002:merge";
        private readonly IEnumerator<(JsonToken Token, object? Value, Mark At)> tokens = Tokens(root, file, warn, new int[1]).GetEnumerator();
        private Mark at = Mark.Empty;

        public override bool Read()
        {
            if (!tokens.MoveNext())
            {
                SetToken(JsonToken.None);
                return false;
            }
            var (token, value, mark) = tokens.Current;
            at = mark;
            SetToken(token, value);
            return true;
        }

        public bool HasLineInfo() => true;
        public int LineNumber => (int)at.Line;
        public int LinePosition => (int)at.Column;

        private static IEnumerable<(JsonToken, object?, Mark)> Tokens(YamlTreeNode node, string file, Action<MetaWarning>? warn, int[] count)
        {
            if (++count[0] > MaxNodes)
                throw Error(file, node.Start, $"the document expands to more than {MaxNodes} nodes through its aliases; it is refused as an alias bomb");
            switch (node)
            {
                case YamlTreeScalar s:
                    yield return Scalar(s, file);
                    break;
                case YamlTreeSequence seq:
                    if (seq.Tag != "tag:yaml.org,2002:seq") throw Error(file, seq.Start, $"the tag '{seq.Tag}' is not supported here");
                    yield return (JsonToken.StartArray, null, seq.Start);
                    foreach (var item in seq.Items)
                        foreach (var t in Tokens(item, file, warn, count)) yield return t;
                    yield return (JsonToken.EndArray, null, seq.Start);
                    break;
                case YamlTreeMapping map:
                    if (map.Tag != "tag:yaml.org,2002:map") throw Error(file, map.Start, $"the tag '{map.Tag}' is not supported here");
                    yield return (JsonToken.StartObject, null, map.Start);
                    foreach (var (key, keyNode, value) in Entries(map, file, warn, count))
                    {
                        yield return (JsonToken.PropertyName, key, keyNode.Start);
                        foreach (var t in Tokens(value, file, warn, count)) yield return t;
                    }
                    yield return (JsonToken.EndObject, null, map.Start);
                    break;
            }
        }

        /// <summary>A mapping's entries as PyYAML's dict gets them: merged pairs first, then its own; a later key replaces the value in the first one's place.</summary>
        private static List<(string Key, YamlTreeNode KeyNode, YamlTreeNode Value)> Entries(YamlTreeMapping map, string file, Action<MetaWarning>? warn, int[] count)
        {
            var order = new List<string>();
            var entries = new Dictionary<string, (YamlTreeNode KeyNode, YamlTreeNode Value)>(StringComparer.Ordinal);
            var own = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (keyNode, value, merged) in Flatten(map, file, count))
            {
                var key = KeyText(keyNode, file);
                if (!merged && !own.Add(key))
                    warn?.Invoke(new MetaWarning(file, (int)keyNode.Start.Line, (int)keyNode.Start.Column,
                        $"duplicate key '{key}' (first at line {entries[key].KeyNode.Start.Line}); the last one wins, as in PyYAML", VerboseOnly: true));
                if (!entries.ContainsKey(key)) order.Add(key);
                entries[key] = (keyNode, value);
            }
            return order.Select(k => (k, entries[k].KeyNode, entries[k].Value)).ToList();
        }

        /// <summary>
        /// PyYAML's flatten_mapping: `&lt;&lt;: *a` or `&lt;&lt;: [*a, *b]` (earlier ones win) pairs go before the mapping's own.
        /// Every pair visited counts against the node budget: merges of merges repeat the same keys, so a "merge bomb"
        /// stays small once flattened but would take exponential time to flatten.
        /// </summary>
        private static IEnumerable<(YamlTreeNode Key, YamlTreeNode Value, bool Merged)> Flatten(YamlTreeMapping map, string file, int[] count)
        {
            count[0] += map.Pairs.Count;
            if (count[0] > MaxNodes)
                throw Error(file, map.Start, $"the document expands to more than {MaxNodes} nodes through its aliases (merge keys); it is refused as an alias bomb");
            var merged = new List<(YamlTreeNode, YamlTreeNode, bool)>();
            var own = new List<(YamlTreeNode, YamlTreeNode, bool)>();
            foreach (var (key, value) in map.Pairs)
            {
                if (key.Tag != Merge)
                {
                    own.Add((key, value, false));
                    continue;
                }
                var sources = value switch
                {
                    YamlTreeMapping m => [m],
                    YamlTreeSequence s => s.Items.Select(i => i as YamlTreeMapping
                        ?? throw Error(file, i.Start, "expected a mapping for merging, but found a " + Kind(i))).Reverse().ToList(),
                    _ => throw Error(file, value.Start, "expected a mapping or list of mappings for merging, but found a " + Kind(value)),
                };
                foreach (var source in sources)
                    merged.AddRange(Flatten(source, file, count).Select(p => (p.Key, p.Value, true)));
            }
            return merged.Concat(own);
        }

        /// <summary>A key as a string: Python's str() of the constructed key (5.10 → "5.1", yes → "True").</summary>
        private static string KeyText(YamlTreeNode key, string file)
        {
            if (key is not YamlTreeScalar s) throw Error(file, key.Start, "found unhashable key (a " + Kind(key) + ")");
            // PyYAML turns a `=` key (its "value" tag) back into the string "=".
            if (s.Tag == "tag:yaml.org,2002:value") return s.Value;
            return PythonText.Str(Construct(s, file));
        }

        private static (JsonToken, object?, Mark) Scalar(YamlTreeScalar s, string file)
        {
            var value = Construct(s, file);
            var token = value switch
            {
                null => JsonToken.Null,
                bool => JsonToken.Boolean,
                double => JsonToken.Float,
                string => JsonToken.String,
                _ => JsonToken.Integer,
            };
            return (token, value, s.Start);
        }

        private static object? Construct(YamlTreeScalar s, string file) =>
            PyYamlScalar.TryConstruct(s.Tag, s.Value, out var value, out var problem) ? value : throw Error(file, s.Start, problem!);

        private static string Kind(YamlTreeNode node) => node switch { YamlTreeMapping => "mapping", YamlTreeSequence => "sequence", _ => "scalar" };

        private static MetaException Error(string file, Mark at, string message) =>
            new("malformed YAML: " + message, file, line: (int)(at.Line), column: (int)(at.Column));
    }
}
