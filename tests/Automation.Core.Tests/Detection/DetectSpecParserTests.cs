using Automation.Core.Detection;
using Automation.Core.Errors;
using Newtonsoft.Json.Linq;
using Xunit;

namespace Automation.Core.Tests.Detection;

public sealed class DetectSpecParserTests
{
    private const string Meta = "script/get-x/_cm.json";

    private static DetectSpec Parse(string json) => DetectSpecParser.Parse(JObject.Parse(json), Meta, "get-x");

    private static AutomationException Fails(string json) => Assert.Throws<AutomationException>(() => Parse(json));

    [Fact]
    public void Full_spec_is_read_in_file_order_with_defaults_filled_in()
    {
        var spec = Parse(ToolSpecs.Nvcc);

        Assert.Equal(["nvcc"], spec.Executables);
        Assert.Equal([KeyValuePair.Create("CUDA_HOME", "bin"), KeyValuePair.Create("CUDA_PATH", "bin")], spec.HomeEnv);
        Assert.Equal(["/usr/local/cuda/bin"], spec.SearchPaths);
        Assert.Equal(["--version"], spec.VersionArgs);
        Assert.Equal("CM_NVCC_BIN_WITH_PATH", spec.Env[0].Key);
        Assert.Equal("+LD_LIBRARY_PATH", spec.Env[^1].Key);
        Assert.False(spec.AllMatches);
        Assert.Null(spec.Csv);
        Assert.Equal(TimeSpan.FromSeconds(30), spec.Timeout);
        Assert.Equal(Meta, spec.MetaFile);
        Assert.Equal("get-x", spec.ScriptAlias);
    }

    [Fact]
    public void Minimal_spec_uses_the_default_regex_and_a_single_string_is_a_list()
    {
        var spec = Parse("""{ "executables": "dotnet" }""");

        Assert.Equal(["dotnet"], spec.Executables);
        Assert.Equal(DetectSpec.DefaultVersionRegex, spec.VersionRegex);
        Assert.Empty(spec.Env);
    }

    [Fact]
    public void Csv_spec_is_read()
    {
        var csv = Parse(ToolSpecs.NvidiaSmi).Csv!;

        Assert.Equal(["name", "memory_total", "compute_cap", "driver_version"], csv.Columns);
        Assert.Equal("driver_version", csv.VersionColumn);
        Assert.False(csv.Header);
        Assert.Equal(3, csv.RowEnv.Count);
    }

    [Theory]
    [InlineData("""{ "executable": ["git"] }""", "'detect.executable'", "unknown key")]
    [InlineData("""{ "version_regex": "(\\d+)" }""", "'detect.executables'", "at least one executable")]
    [InlineData("""{ "executables": ["git", 3] }""", "'detect.executables[1]'", "expected a string, found integer 3")]
    [InlineData("""{ "executables": [""] }""", "'detect.executables'", "empty strings")]
    [InlineData("""{ "executables": ["git"], "all_matches": "yes" }""", "'detect.all_matches'", "expected true or false")]
    [InlineData("""{ "executables": ["git"], "home_env": ["CUDA_HOME"] }""", "'detect.home_env'", "expected an object of strings")]
    [InlineData("""{ "executables": ["git"], "env": { "A": 1 } }""", "'detect.env.A'", "expected a string value")]
    [InlineData("""{ "executables": ["git"], "version_regex": "git (\\d+" }""", "'detect.version_regex'", "not a valid regular expression")]
    [InlineData("""{ "executables": ["git"], "version_regex": "git \\d+" }""", "'detect.version_regex'", "needs a capture group")]
    [InlineData("""{ "executables": ["git"], "version_regex": "(?<path>\\S+) (\\d+)" }""", "'detect.version_regex'", "'path' clashes")]
    [InlineData("""{ "executables": ["git"], "timeout_s": 0 }""", "'detect.timeout_s'", "positive number")]
    [InlineData("""{ "executables": ["git"], "env": { "A": "{{ pth }}" } }""", "'detect.env.A'", "Undefined variable 'pth'")]
    [InlineData("""{ "executables": ["git"], "env": { "A": "{{ path | frob }}" } }""", "'detect.env.A'", "Undefined filter 'frob'")]
    [InlineData("""{ "executables": ["git"], "env": { "A": "{{ path " } }""", "'detect.env.A'", "not a valid template")]
    [InlineData("""{ "executables": ["git"], "parse": "xml" }""", "'detect.parse'", "'xml' is not supported")]
    [InlineData("""{ "executables": ["git"], "columns": ["a"] }""", "'detect.columns'", "only allowed with \"parse\": \"csv\"")]
    [InlineData("""{ "executables": ["smi"], "parse": "csv", "version_column": "v" }""", "'detect.columns'", "required")]
    [InlineData("""{ "executables": ["smi"], "parse": "csv", "columns": ["a", "v"] }""", "'detect.version_column'", "required")]
    [InlineData("""{ "executables": ["smi"], "parse": "csv", "columns": ["a"], "version_column": "v" }""", "'detect.version_column'", "'v' is not one of the columns")]
    [InlineData("""{ "executables": ["smi"], "parse": "csv", "columns": ["a", "v"], "version_column": "v", "version_regex": "(x)" }""", "'detect.version_regex'", "not used with")]
    [InlineData("""{ "executables": ["smi"], "parse": "csv", "columns": ["a", "v"], "version_column": "v", "row_env": { "K_{{index}}": "{{row.b}}" } }""", "'detect.row_env.K_{{index}}'", "undefined variable or member")]
    public void Bad_schema_names_the_meta_file_and_the_key(string json, string key, string problem)
    {
        var error = Fails(json);

        Assert.Contains(key, error.Message);
        Assert.Contains(problem, error.Message);
        Assert.Contains(Meta, error.Message);
        Assert.Equal(Meta, error.File);
        Assert.Equal("get-x", error.Script);
    }

    [Fact]
    public void Named_regex_groups_and_csv_columns_are_template_variables()
    {
        Parse("""{ "executables": ["nvcc"], "version_regex": "release (?<release>\\S+), V(?<version>\\S+)", "env": { "A": "{{release}} {{version}}" } }""");
        Parse("""{ "executables": ["smi"], "parse": "csv", "columns": ["a", "v"], "version_column": "v", "env": { "N": "{{count}}" }, "row_env": { "K_{{index}}": "{{row.a}}" } }""");
    }

    [Fact]
    public void Read_file_specs_reject_version_args_and_version_templates_are_checked_when_loaded()
    {
        const string header = """{ "executables": "v.h", "read_file": true, "version_regex": "M (?<major>\\d+) m (?<minor>\\d+)", "version_template": "{{major}}.{{minor}}" }""";

        var spec = Parse(header);
        var args = Fails("""{ "executables": "v.h", "read_file": true, "version_args": ["-v"] }""");
        var typo = Fails("""{ "executables": "v.h", "read_file": true, "version_regex": "M (?<major>\\d+)", "version_template": "{{majr}}" }""");
        var csv = Fails("""{ "executables": "smi", "parse": "csv", "columns": ["v"], "version_column": "v", "version_template": "{{v}}" }""");

        Assert.True(spec.ReadFile);
        Assert.Equal("{{major}}.{{minor}}", spec.VersionTemplate);
        Assert.Contains("detect.version_args", args.Message);
        Assert.Contains("detect.version_template", typo.Message);
        Assert.Contains("detect.version_template", csv.Message);
    }
}
