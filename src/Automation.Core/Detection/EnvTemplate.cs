using Automation.Core.Versioning;
using Fluid;
using Fluid.Values;

namespace Automation.Core.Detection;

/// <summary>
/// Renders the Liquid templates of <c>detect.env</c> / <c>detect.row_env</c> with Fluid in strict mode, so a
/// misspelt variable or filter is an error instead of an empty env value. Only dictionaries of
/// <see cref="FluidValue"/> reach Fluid, never our POCOs: no reflection-based member access, which keeps Native AOT safe.
/// </summary>
internal static class EnvTemplate
{
    /// <summary>Variables every template sees; regex group names must not shadow them.</summary>
    public static IReadOnlySet<string> ReservedNames { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "path", "dir", "name", "real_path", "real_dir", "prefix", "version", "version_major", "version_minor", "version_patch", "count", "index", "row",
    };

    private static readonly FluidParser Parser = new();
    private static readonly TemplateOptions Options = new() { StrictVariables = true, StrictFilters = true };

    public static Dictionary<string, FluidValue> ToolVariables(
        string path, string realPath, ToolVersion version, IEnumerable<KeyValuePair<string, string>> groups, int? rowCount)
    {
        var dir = Path.GetDirectoryName(path) ?? path;
        var variables = new Dictionary<string, FluidValue>(StringComparer.Ordinal)
        {
            ["path"] = new StringValue(path),
            ["dir"] = new StringValue(dir),
            ["name"] = new StringValue(Path.GetFileName(path)),
            ["real_path"] = new StringValue(realPath),
            // The folder of the real file: DOTNET_ROOT for /usr/bin/dotnet -> /usr/share/dotnet/dotnet.
            ["real_dir"] = new StringValue(Path.GetDirectoryName(realPath) ?? realPath),
            // Spack's executable_prefix: the install root above bin/ (/usr/local/cuda for /usr/local/cuda/bin/nvcc).
            ["prefix"] = new StringValue(Path.GetDirectoryName(dir) ?? dir),
            ["version"] = new StringValue(version.Original),
            ["version_major"] = NumberValue.Create(version.Value.Major),
            ["version_minor"] = NumberValue.Create(version.Value.Minor),
            ["version_patch"] = NumberValue.Create(version.Value.Patch),
        };
        foreach (var (key, value) in groups) variables.TryAdd(key, new StringValue(value));
        if (rowCount is { } count) variables["count"] = NumberValue.Create(count);
        return variables;
    }

    public static Dictionary<string, FluidValue> RowVariables(
        IReadOnlyDictionary<string, FluidValue> tool, int index, IReadOnlyDictionary<string, string> row)
    {
        var cells = row.ToDictionary(kv => kv.Key, kv => (FluidValue)new StringValue(kv.Value), StringComparer.Ordinal);
        return new Dictionary<string, FluidValue>(tool, StringComparer.Ordinal)
        {
            ["index"] = NumberValue.Create(index),
            ["row"] = new DictionaryValue(new FluidValueDictionaryFluidIndexable(cells)),
        };
    }

    public static bool TryParse(string source, out string error)
    {
        var ok = Parser.TryParse(source, out _, out var parseError);
        error = parseError ?? "";
        return ok;
    }

    /// <summary>Renders keys and values into <paramref name="output"/>; <paramref name="fail"/> builds the error for (template key, problem).</summary>
    public static void RenderInto(
        IReadOnlyList<KeyValuePair<string, string>> templates,
        IReadOnlyDictionary<string, FluidValue> variables,
        IDictionary<string, string> output,
        Func<string, string, Exception> fail)
    {
        foreach (var (key, value) in templates)
            output[Render(key, variables, problem => fail(key, problem))] = Render(value, variables, problem => fail(key, problem));
    }

    /// <summary>A version_template rendered from regex groups; a problem yields text that is not a version.</summary>
    public static string RenderText(string source, IEnumerable<KeyValuePair<string, string>> groups)
    {
        var variables = groups.ToDictionary(kv => kv.Key, kv => (FluidValue)new StringValue(kv.Value), StringComparer.Ordinal);
        try { return Render(source, variables, problem => new FormatException(problem)); }
        catch (FormatException e) { return e.Message; }
    }

    private static string Render(string source, IReadOnlyDictionary<string, FluidValue> variables, Func<string, Exception> fail)
    {
        if (!source.Contains("{{", StringComparison.Ordinal) && !source.Contains("{%", StringComparison.Ordinal)) return source;
        if (!Parser.TryParse(source, out var template, out var parseError)) throw fail($"'{source}' is not a valid template: {parseError}");
        var context = new TemplateContext(Options);
        foreach (var (name, value) in variables) context.SetValue(name, value);
        try
        {
            return template.Render(context);
        }
        catch (Exception e) when (e is FluidException or InvalidOperationException)
        {
            // Fluid names an undefined member by its AST node type, so list what does exist instead.
            var problem = e.Message.Contains("Fluid.Ast", StringComparison.Ordinal) ? "undefined variable or member" : e.Message;
            throw fail($"'{source}': {problem} (variables: {string.Join(", ", variables.Keys.Order(StringComparer.Ordinal))})");
        }
    }
}
