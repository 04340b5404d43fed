using System.Collections.Concurrent;
using Automation.Core.Errors;
using Fluid;
using Fluid.Values;

namespace Automation.Experiments.Templates;

/// <summary>
/// Fluid (Liquid) rendering that fails on undefined variables and filters instead of printing nothing: a typo in
/// <c>{{ point.batch_sise }}</c> must stop the sweep, not run every point into the same folder. Only
/// <see cref="FluidValue"/> dictionaries reach Fluid (no reflection over our types: Native AOT stays safe).
/// Adds the filter <c>shq</c>, which single-quotes a value for POSIX shells.
/// </summary>
public static class StrictTemplate
{
    private static readonly FluidParser Parser = new();
    private static readonly TemplateOptions Options = CreateOptions();
    private static readonly ConcurrentDictionary<string, IFluidTemplate> Parsed = new(StringComparer.Ordinal);

    public static string Render(string source, IReadOnlyDictionary<string, FluidValue> variables, string what)
    {
        var template = Parsed.GetOrAdd(source, s => Parser.TryParse(s, out var t, out var error)
            ? t
            : throw new AutomationException($"{what}: '{s}' is not a valid Liquid template: {error}", fix: "Check the {{ }} and {% %} pairs."));
        var context = new TemplateContext(Options);
        foreach (var (name, value) in variables) context.SetValue(name, value);
        try
        {
            return template.Render(context);
        }
        catch (Exception e) when (e is FluidException or InvalidOperationException)
        {
            // Fluid names an undefined member by its AST node type; list what exists instead.
            var problem = e.Message.Contains("Fluid.Ast", StringComparison.Ordinal) ? "uses an undefined variable or member" : e.Message;
            throw new AutomationException($"{what}: template '{Shorten(source)}' {problem}",
                fix: $"Defined variables: {Describe(variables)}.");
        }
    }

    /// <summary>Reads a template shipped inside this assembly (Templates/NAME.liquid).</summary>
    public static string Embedded(string name)
    {
        var resource = $"Automation.Experiments.Templates.{name}.liquid";
        using var stream = typeof(StrictTemplate).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"embedded template {resource} is missing");
        return new StreamReader(stream).ReadToEnd();
    }

    public static FluidValue Str(string value) => new StringValue(value);

    public static FluidValue Map(IEnumerable<KeyValuePair<string, FluidValue>> entries) =>
        new DictionaryValue(new FluidValueDictionaryFluidIndexable(entries.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal)));

    public static FluidValue List(IEnumerable<string> values) => new ArrayValue(values.Select(v => (FluidValue)new StringValue(v)).ToArray());

    /// <summary>POSIX single-quoting: safe for any byte string except NUL.</summary>
    public static string ShellQuote(string value) =>
        value.Length > 0 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '.' or '_' or '-' or '=' or ',' or ':' or '+' or '@' or '%')
            ? value
            : "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private static TemplateOptions CreateOptions()
    {
        var options = new TemplateOptions { StrictVariables = true, StrictFilters = true };
        options.Filters.AddFilter("shq", (input, _, _) => new StringValue(ShellQuote(input.ToStringValue())));
        return options;
    }

    private static string Describe(IReadOnlyDictionary<string, FluidValue> variables) =>
        string.Join(", ", variables.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv =>
            kv.Value is DictionaryValue d ? $"{kv.Key}.{{{string.Join(',', Keys(d))}}}" : kv.Key));

    private static IEnumerable<string> Keys(DictionaryValue d) =>
        d.ToObjectValue() is IFluidIndexable ix ? ix.Keys.Order(StringComparer.Ordinal) : [];

    private static string Shorten(string s) => s.Length <= 120 ? s : s[..117] + "...";
}
