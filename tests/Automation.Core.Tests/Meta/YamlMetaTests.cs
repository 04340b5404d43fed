using Automation.Core.Meta;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Xunit;

namespace Automation.Core.Tests.Meta;

/// <summary>Our YAML reader keeps PyYAML's (YAML 1.1 SafeLoader) meaning, which is what CM and MLCFlow read metas with.</summary>
public sealed class YamlMetaTests
{
    private const string File = "/lib/script/x/meta.yaml";

    private static string Value(string scalar) => JToken.Parse(PyYamlOracle.Canonical(YamlMeta.ToJson("v: " + scalar + "\n", File)["v"]!)).Value<string>()!;

    [Theory]
    [InlineData("yes", "b:True")]
    [InlineData("Yes", "b:True")]
    [InlineData("YES", "b:True")]
    [InlineData("on", "b:True")]
    [InlineData("ON", "b:True")]
    [InlineData("no", "b:False")]
    [InlineData("Off", "b:False")]
    [InlineData("TRUE", "b:True")]
    [InlineData("yEs", "s:yEs")]
    [InlineData("y", "s:y")]
    [InlineData("n", "s:n")]
    [InlineData("'yes'", "s:yes")]
    [InlineData("\"on\"", "s:on")]
    [InlineData("true,", "s:true,")]
    [InlineData("~", "n")]
    [InlineData("null", "n")]
    [InlineData("Null", "n")]
    [InlineData("", "n")]
    [InlineData("'null'", "s:null")]
    [InlineData("0x1F", "i:31")]
    [InlineData("017", "i:15")]
    [InlineData("0o17", "s:0o17")]
    [InlineData("0b101", "i:5")]
    [InlineData("1_000", "i:1000")]
    [InlineData("+12", "i:12")]
    [InlineData("-0", "i:0")]
    [InlineData("09", "s:09")]
    [InlineData("1:30", "i:90")]
    [InlineData("12345678901234567890123", "i:12345678901234567890123")]
    [InlineData("1.10", "f:1.1")]
    [InlineData("3.8", "f:3.8")]
    [InlineData("1.", "f:1.0")]
    [InlineData(".5", "f:0.5")]
    [InlineData("1e5", "s:1e5")]
    [InlineData("1.0e5", "s:1.0e5")]
    [InlineData("1.0e+5", "f:100000.0")]
    [InlineData("1.5e-7", "f:1.5e-07")]
    [InlineData("1e+16", "s:1e+16")]
    [InlineData("10000000000000000.0", "f:1e+16")]
    [InlineData("1000000000000000.0", "f:1000000000000000.0")]
    [InlineData("1:30.5", "f:90.5")]
    [InlineData(".inf", "f:inf")]
    [InlineData("-.INF", "f:-inf")]
    [InlineData(".NaN", "f:nan")]
    [InlineData("2001-12-14", "s:2001-12-14")]
    [InlineData("!!str 12", "s:12")]
    [InlineData("!!int '12'", "i:12")]
    [InlineData("! 12", "i:12")]
    [InlineData("! '12'", "i:12")]
    [InlineData("'3.8'", "s:3.8")]
    public void Plain_scalars_resolve_as_PyYAML_resolves_them_and_quoted_ones_stay_strings(string scalar, string expected) =>
        Assert.Equal(expected, Value(scalar));

    [Fact]
    public void Keys_are_what_Python_str_makes_of_the_constructed_key()
    {
        var json = YamlMeta.ToJson("versions:\n  5.10: {}\n  '5.10': {}\nyes: 1\n~: 2\n", File);

        Assert.Equal(["5.1", "5.10"], ((JObject)json["versions"]!).Properties().Select(p => p.Name));
        Assert.Equal(1, (int)json["True"]!);
        Assert.Equal(2, (int)json["None"]!);
    }

    [Fact]
    public void Duplicate_keys_keep_the_last_value_in_the_first_place_with_a_verbose_only_warning()
    {
        var warnings = new List<MetaWarning>();
        var json = YamlMeta.ToJson("alias: a\ntags: [x]\ncache: false\nalias: b\n", File, warnings.Add);

        Assert.Equal("""{"alias":"b","tags":["x"],"cache":false}""", json.ToString(Formatting.None));
        var w = Assert.Single(warnings);
        Assert.True(w.VerboseOnly);
        Assert.Equal((4, 1), (w.Line, w.Column));
        Assert.Equal($"{File}:4:1: duplicate key 'alias' (first at line 1); the last one wins, as in PyYAML", w.ToString());
    }

    [Fact]
    public void Anchors_aliases_and_merge_keys_expand_as_PyYAML_expands_them()
    {
        const string yaml = """
            common: &common
              env: {A: '1', B: '2'}
              group: g
            extra: &extra
              group: other
              names: [n]
            variations:
              one:
                <<: *common
                group: mine
              two:
                <<: [*extra, *common]
              three:
                group: first
                <<: *common
              four: *common
            """;
        var json = YamlMeta.ToJson(yaml, File);
        var v = json["variations"]!;

        Assert.Equal("""{"env":{"A":"1","B":"2"},"group":"mine"}""", v["one"]!.ToString(Formatting.None));
        Assert.Equal("""{"env":{"A":"1","B":"2"},"group":"other","names":["n"]}""", v["two"]!.ToString(Formatting.None));
        Assert.Equal("first", (string?)v["three"]!["group"]);
        Assert.True(JToken.DeepEquals(json["common"], v["four"]));
        Assert.NotSame(json["common"], v["four"]);
    }

    [Fact]
    public void An_alias_bomb_is_refused_with_a_clear_error_instead_of_filling_memory()
    {
        var yaml = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
        for (var level = 'b'; level <= 'i'; level++)
            yaml += $"{level}: &{level} [{string.Join(", ", Enumerable.Repeat("*" + (char)(level - 1), 10))}]\n";

        var e = Assert.Throws<MetaException>(() => YamlMeta.ToJson(yaml, File));

        Assert.Contains($"more than {YamlMeta.MaxNodes} nodes", e.Message);
        Assert.Contains(File, e.Message);
    }

    [Fact]
    public void A_document_just_under_the_bound_still_reads()
    {
        var yaml = "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n";

        var json = YamlMeta.ToJson(yaml, File);

        Assert.Equal(1000, json["c"]!.SelectTokens("[*][*][*]").Count());
    }

    [Fact]
    public void A_recursive_alias_is_an_error_naming_the_line()
    {
        var e = Assert.Throws<MetaException>(() => YamlMeta.ToJson("a: 1\nb: &r\n  c: *r\n", File));

        Assert.Equal((3, 6), (e.Line, e.Column));
        Assert.Contains("alias 'r'", e.Message);
    }

    [Theory]
    [InlineData("alias: x\ntags: [a, b\n", 3, 1)]
    [InlineData("alias: x\ntags: [get, tool,\n  t1\ncache: false\n", 4, 1)]
    [InlineData("alias: x\ndeps:\n  - tags: a\n   names: b\n", 4, 4)]
    [InlineData("alias: x\nenv:\n  A: 'unterminated\n", 3, 6)]
    [InlineData("alias: x\nv: *nowhere\n", 2, 4)]
    [InlineData("alias: x\nv: !python/object:os.system ls\n", 2, 4)]
    [InlineData("alias: x\nv: =\n", 2, 4)]
    [InlineData("alias: x\n[a]: 1\n", 2, 1)]
    [InlineData("alias: x\n---\nalias: y\n", 2, 1)]
    [InlineData("- a\n- b\n", 1, 1)]
    [InlineData("v: 1\nw: &a 1\nx: &a 2\n", 3, 4)]
    [InlineData("alias: x\nenv:\n  A: b\tc\n", 3, 7)]
    [InlineData("alias: x\nenv:\n  A:\tb\n", 3, 5)]
    // PyYAML reads `&env` then `:` (a key None); YamlDotNet the anchor `env:`. Refused rather than read differently.
    [InlineData("alias: x\ndevelop:\n  &env:\n    K: v\n", 3, 3)]
    public void Unreadable_yaml_is_an_error_at_the_right_line_and_column(string yaml, int line, int column)
    {
        var e = Assert.Throws<MetaException>(() => YamlMeta.ToJson(yaml, File));

        Assert.Equal((line, column), (e.Line, e.Column));
        Assert.StartsWith($"{File}:{line}:{column}: ", e.Message);
        Assert.Equal($"{File}:{line}:{column}: {e.Problem}; the script is skipped", e.ToWarning().ToString());
    }

    [Fact]
    public void An_empty_file_is_not_a_meta()
    {
        var e = Assert.Throws<MetaException>(() => YamlMeta.ToJson("# nothing here\n", File));

        Assert.Contains("empty", e.Message);
    }

    [Fact]
    public void Tokens_carry_their_yaml_position_for_the_meta_readers_messages()
    {
        var json = YamlMeta.ToJson("alias: x\ndeps:\n  - names: [a]\n    env:\n      K: v\n", File);

        Assert.Equal((3, 5), MetaReader.Line(json["deps"]![0]));
        Assert.Equal((5, 10), MetaReader.Line(json["deps"]![0]!["env"]!["K"]));
    }
}

/// <summary>The same tricky documents through PyYAML itself, where python3 and its yaml module are installed.</summary>
public sealed class YamlMetaOracleTests
{
    public static TheoryData<string> Documents => new()
    {
        "a: yes\nb: No\nc: on\nd: OFF\ne: y\nf: n\ng: 'yes'\nh: true,\ni: ~\nj:\nk: Null\n",
        "a: 0x1F\nb: 017\nc: 0o17\nd: 0b101\ne: 1_000\nf: 1:30\ng: 09\nh: -0\ni: +7\nj: 12345678901234567890123\n",
        "a: 1.10\nb: 1.\nc: .5\nd: 1e5\ne: 1.0e+5\nf: 1.5e-7\ng: 1:30.5\nh: .inf\ni: -.Inf\nj: .NAN\nk: 1e+16\nl: 10000000000000000.0\nm: 0.0001\nn: 0.00001\n",
        "versions:\n  5.10: {}\n  '5.2': {}\n  3: {}\nyes: 1\n",
        "a: 1\nb: 2\na: 3\nc: {x: 1, x: 2}\n",
        "c: &c {env: {A: '1'}, group: g}\nd: &d {group: h, names: [n]}\nv:\n  one: {<<: *c, group: mine}\n  two: {<<: [*d, *c]}\n  three: {group: first, <<: *c}\n  four: *c\n",
        "s: |\n  line one\n  line two\nf: >\n  folded\n  text\nq: \"tab\\there\"\nl: 'it''s'\nm: plain\n  continued\n",
        "a: !!str 12\nb: !!int '12'\nc: ! 12\nd: 2001-12-14\ne: '2001-12-14'\n",
        "alias: x\ntags: [a, b\n",
        "v: =\n",
        "[a]: 1\n",
        "a:\tb\n",
        "a: b\tc\n",
        "a: [x,\ty]\n",
        "a: \"b\tc\"\nd: 'x\n\ty'\ne: |\n  x\ty\nf: g # h\ti\n",
    };

    [PyYamlTheory]
    [MemberData(nameof(Documents))]
    public void Tricky_documents_read_as_PyYAML_reads_them(string yaml)
    {
        var file = Path.Combine(Path.GetTempPath(), "cm-yaml-" + Guid.NewGuid().ToString("N")[..8] + ".yaml");
        System.IO.File.WriteAllText(file, yaml);
        try
        {
            var theirs = PyYamlOracle.Read([file])[0];
            string ours;
            try { ours = PyYamlOracle.Canonical(YamlMeta.ToJson(yaml, file)); }
            catch (MetaException) { ours = "error"; }

            Assert.Equal(theirs.StartsWith("error", StringComparison.Ordinal) ? "error" : JToken.Parse(theirs).ToString(Formatting.None), ours);
        }
        finally { System.IO.File.Delete(file); }
    }
}
