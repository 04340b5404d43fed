using Newtonsoft.Json.Linq;

namespace Automation.Core.Tests.Meta;

/// <summary>How a real meta is damaged for the fuzz tests (MetaFuzzTests, and tests/Reliability's generated-input figures).</summary>
public enum MetaDamage
{
    /// <summary>Cut short at a random place (a truncated write).</summary>
    Cut,
    /// <summary>One character replaced by a YAML/JSON syntax character.</summary>
    Change,
    /// <summary>A YAML/JSON syntax character inserted.</summary>
    Insert,
    /// <summary>Valid JSON of the wrong shape: a random value or key replaced by a hostile one (see <see cref="MetaMutator.Reshape"/>).</summary>
    Reshape,
}

/// <summary>Deterministic damage to a meta's text or tree, driven by the caller's seeded <see cref="Random"/>.</summary>
public static class MetaMutator
{
    private static readonly char[] Noise = ['[', ']', '{', '}', ':', '-', '&', '*', '!', '\t', '\n', '"', '\'', '|', '>', '#', ',', '?', '%', '@', '`', ' '];

    /// <summary>The text damaged as <paramref name="damage"/> says (Cut, Change or Insert), and where.</summary>
    public static (string Text, int At) Damage(string text, Random random, MetaDamage damage)
    {
        var at = random.Next(text.Length);
        return damage switch
        {
            MetaDamage.Cut => (text[..at], at),
            MetaDamage.Change => (text[..at] + Noise[random.Next(Noise.Length)] + text[(at + 1)..], at),
            MetaDamage.Insert => (text[..at] + Noise[random.Next(Noise.Length)] + text[at..], at),
            _ => throw new ArgumentOutOfRangeException(nameof(damage), "Reshape works on the tree: use Reshape"),
        };
    }

    /// <summary>
    /// A copy of the meta with one to three values (or keys) replaced by shapes a meta should never have: a list or a
    /// mapping where a string belongs and the reverse, numbers, null, empty and long strings, nesting near and past
    /// the depth bound, env references, keys that are not names. The result is valid JSON.
    /// </summary>
    public static JObject Reshape(JObject meta, Random random)
    {
        var copy = (JObject)meta.DeepClone();
        for (var n = 1 + random.Next(3); n > 0; n--)
        {
            var tokens = copy.Descendants().Where(t => t is JValue or JContainer and not JProperty).ToList();
            if (tokens.Count == 0) break;
            var target = tokens[random.Next(tokens.Count)];
            if (target.Parent is JProperty property && random.Next(4) == 0)
            {
                var renamed = new JProperty(HostileKey(random), property.Value);
                property.Replace(renamed);
            }
            else target.Replace(HostileValue(random));
        }
        return copy;
    }

    private static string HostileKey(Random random) =>
        new[] { "", " ", "_", "+", "+PATH", "a,b", "#", "*", "-", "1", "ünï", "<<<X>>>", "..", "key with space", new string('k', 300) }[random.Next(15)];

    private static JToken HostileValue(Random random) => random.Next(16) switch
    {
        0 => new JValue(42),
        1 => new JValue(-1.5e308),
        2 => new JValue(true),
        3 => JValue.CreateNull(),
        4 => new JValue(""),
        5 => new JValue(new string('x', 10_000)),
        6 => new JArray("x", 1, JValue.CreateNull(), new JArray()),
        7 => new JObject { ["a"] = new JObject { ["b"] = new JArray(1) } },
        8 => Nest(random.Next(2) == 0 ? 40 : 70),
        9 => new JValue("<<<MISSING>>>-<<<CM_TMP_CURRENT_SCRIPT_PATH>>>"),
        10 => new JValue("../../../../etc/passwd"),
        11 => new JValue("_x,_y,-z"),
        12 => new JArray(Enumerable.Range(0, 200).Select(i => new JValue($"v{i}"))),
        13 => new JObject { ["tags"] = "a,b", ["names"] = new JArray("n"), ["version_min"] = "zzz" },
        14 => new JValue(long.MaxValue),
        _ => new JObject { ["alias"] = "x", ["group"] = new JArray("g") },
    };

    private static JToken Nest(int depth)
    {
        JToken token = new JValue(1);
        for (var i = 0; i < depth; i++) token = i % 2 == 0 ? new JArray(token) : new JObject { ["k"] = token };
        return token;
    }
}
