using System.Text.RegularExpressions;
using Automation.Core.Errors;
using Automation.Core.Versioning;
using Newtonsoft.Json.Linq;

namespace Automation.Core.Detection;

/// <summary>
/// Reads a meta's <c>detect</c> object field by field (no reflection-based deserialisation, for Native AOT) and
/// rejects anything it does not understand, naming the meta file and the key. Templates are test-rendered
/// here so that a misspelt variable fails when the meta is loaded, not when the tool is found.
/// </summary>
public static class DetectSpecParser
{
    private static readonly HashSet<string> KnownKeys =
    [
        "executables", "windows_executables", "exclude", "path_env", "home_env", "search_paths", "all_matches",
        "version_args", "version_regex", "version_template", "read_file", "timeout_s", "env", "parse", "columns", "version_column", "header", "row_env", "not_found",
    ];

    private static readonly HashSet<string> CsvOnlyKeys = ["columns", "version_column", "header", "row_env"];

    public static DetectSpec Parse(JObject detect, string metaFile, string scriptAlias)
    {
        var reader = new Reader(detect, metaFile, scriptAlias);
        foreach (var property in detect.Properties())
            if (!KnownKeys.Contains(property.Name))
                throw reader.Fail(property.Name, $"unknown key; expected one of {string.Join(", ", KnownKeys)}");

        var executables = reader.StringList("executables");
        var windowsExecutables = reader.StringList("windows_executables");
        if (executables.Count == 0 && windowsExecutables.Count == 0)
            throw reader.Fail("executables", "at least one executable name is required");
        var csv = ReadCsv(reader);
        var regex = reader.String("version_regex") ?? DetectSpec.DefaultVersionRegex;
        if (csv is not null && detect.ContainsKey("version_regex"))
            throw reader.Fail("version_regex", "not used with \"parse\": \"csv\"; the version comes from version_column");
        var groups = ValidateRegex(reader, regex);

        var spec = new DetectSpec(
            metaFile, scriptAlias, executables, windowsExecutables,
            reader.StringList("exclude"), reader.StringList("path_env"), reader.StringMap("home_env"), reader.StringList("search_paths"),
            reader.Bool("all_matches") ?? false,
            detect.ContainsKey("version_args") ? reader.StringList("version_args") : DetectSpec.DefaultVersionArgs,
            regex, reader.StringMap("env"), csv, reader.String("not_found"), ReadTimeout(reader),
            reader.Bool("read_file") ?? false, reader.String("version_template"));
        if (spec.ReadFile && detect.ContainsKey("version_args"))
            throw reader.Fail("version_args", "not used with \"read_file\": true; the file's text is read instead of running it");
        if (spec.VersionTemplate is not null && csv is not null)
            throw reader.Fail("version_template", "not used with \"parse\": \"csv\"; the version comes from version_column");
        TryRender(reader, spec, groups);
        return spec;
    }

    private static CsvQuery? ReadCsv(Reader reader)
    {
        var parse = reader.String("parse") ?? "regex";
        if (parse == "regex")
        {
            var stray = CsvOnlyKeys.FirstOrDefault(reader.Json.ContainsKey);
            return stray is null ? null : throw reader.Fail(stray, "only allowed with \"parse\": \"csv\"");
        }
        if (parse != "csv") throw reader.Fail("parse", $"'{parse}' is not supported; use \"regex\" (default) or \"csv\"");
        var columns = reader.StringList("columns");
        if (columns.Count == 0) throw reader.Fail("columns", "required with \"parse\": \"csv\" (one name per CSV field)");
        if (columns.Distinct().Count() != columns.Count) throw reader.Fail("columns", "names must be unique");
        var versionColumn = reader.String("version_column") ?? throw reader.Fail("version_column", "required with \"parse\": \"csv\"");
        if (!columns.Contains(versionColumn)) throw reader.Fail("version_column", $"'{versionColumn}' is not one of the columns ({string.Join(", ", columns)})");
        return new CsvQuery(columns, versionColumn, reader.Bool("header") ?? false, reader.StringMap("row_env"));
    }

    private static IReadOnlyList<string> ValidateRegex(Reader reader, string pattern)
    {
        Regex regex;
        try { regex = new Regex(pattern); }
        catch (ArgumentException e) { throw reader.Fail("version_regex", $"not a valid regular expression: {e.Message}"); }
        var names = regex.GetGroupNames().Where(n => !int.TryParse(n, out _)).ToList();
        if (regex.GetGroupNumbers().Length < 2)
            throw reader.Fail("version_regex", "needs a capture group for the version: group 1 or (?<version>...)");
        var clash = names.FirstOrDefault(n => n != "version" && EnvTemplate.ReservedNames.Contains(n));
        if (clash is not null) throw reader.Fail("version_regex", $"group name '{clash}' clashes with a built-in template variable");
        return names;
    }

    private static TimeSpan ReadTimeout(Reader reader)
    {
        var token = reader.Json["timeout_s"];
        if (token is null) return DetectSpec.DefaultTimeout;
        if (token.Type is not (JTokenType.Integer or JTokenType.Float) || (double)token <= 0)
            throw reader.Fail("timeout_s", "must be a positive number of seconds");
        return TimeSpan.FromSeconds((double)token);
    }

    private static void TryRender(Reader reader, DetectSpec spec, IReadOnlyList<string> groups)
    {
        var sample = EnvTemplate.ToolVariables(
            "/opt/sample/bin/tool", "/opt/sample/bin/tool", ToolVersion.Parse("1.2.3"),
            groups.Select(g => KeyValuePair.Create(g, "sample")), spec.Csv is null ? null : 1);
        var output = new Dictionary<string, string>();
        if (spec.VersionTemplate is { } versionTemplate)
            EnvTemplate.RenderInto([KeyValuePair.Create("version", versionTemplate)], ProbeGroups(groups), output, (_, problem) => reader.Fail("version_template", problem));
        EnvTemplate.RenderInto(spec.Env, sample, output, (key, problem) => reader.Fail($"env.{key}", problem));
        if (spec.Csv is { } csv)
        {
            var row = csv.Columns.ToDictionary(c => c, _ => "sample");
            EnvTemplate.RenderInto(csv.RowEnv, EnvTemplate.RowVariables(sample, 0, row), output, (key, problem) => reader.Fail($"row_env.{key}", problem));
        }
    }

    private static Dictionary<string, Fluid.Values.FluidValue> ProbeGroups(IReadOnlyList<string> groups) =>
        groups.ToDictionary(g => g, g => (Fluid.Values.FluidValue)new Fluid.Values.StringValue("1"), StringComparer.Ordinal);

    private sealed class Reader(JObject json, string metaFile, string scriptAlias)
    {
        public JObject Json => json;

        public AutomationException Fail(string key, string problem) =>
            new($"invalid 'detect.{key}' in {metaFile}: {problem}", metaFile, scriptAlias, "See docs/detection.md for the detect schema.");

        public string? String(string key) => json[key] switch
        {
            null => null,
            { Type: JTokenType.String } token => (string)token!,
            var token => throw Fail(key, $"expected a string, found {Describe(token)}"),
        };

        public bool? Bool(string key) => json[key] switch
        {
            null => null,
            { Type: JTokenType.Boolean } token => (bool)token,
            var token => throw Fail(key, $"expected true or false, found {Describe(token)}"),
        };

        /// <summary>A list of non-empty strings; a single string is accepted as a one-element list.</summary>
        public IReadOnlyList<string> StringList(string key) => json[key] switch
        {
            null => [],
            { Type: JTokenType.String } token => [NonEmpty(key, (string)token!)],
            JArray array => array.Select((item, i) => item.Type == JTokenType.String
                    ? NonEmpty(key, (string)item!)
                    : throw Fail($"{key}[{i}]", $"expected a string, found {Describe(item)}"))
                .ToList(),
            var token => throw Fail(key, $"expected a list of strings, found {Describe(token)}"),
        };

        /// <summary>An object of string values, kept in file order.</summary>
        public IReadOnlyList<KeyValuePair<string, string>> StringMap(string key) => json[key] switch
        {
            null => [],
            JObject map => map.Properties().Select(p => p.Value.Type == JTokenType.String && p.Name.Length > 0
                    ? KeyValuePair.Create(p.Name, (string)p.Value!)
                    : throw Fail($"{key}.{p.Name}", $"expected a string value under a non-empty key, found {Describe(p.Value)}"))
                .ToList(),
            var token => throw Fail(key, $"expected an object of strings, found {Describe(token)}"),
        };

        private string NonEmpty(string key, string value) =>
            value.Trim().Length > 0 ? value : throw Fail(key, "empty strings are not allowed");

        private static string Describe(JToken token) => token.Type switch
        {
            JTokenType.Object => "an object",
            JTokenType.Array => "a list",
            JTokenType.Null => "null",
            _ => $"{token.Type.ToString().ToLowerInvariant()} {token.ToString(Newtonsoft.Json.Formatting.None)}",
        };
    }
}
