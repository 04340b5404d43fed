using System.Globalization;
using Automation.Core.Env;
using Automation.Core.Errors;
using Automation.Core.Execution;

namespace Automation.Cli.Actions;

/// <summary>A built-in action's view of its env: values with `&lt;&lt;&lt;KEY&gt;&gt;&gt;` references expanded, paths relative to the user's folder, errors naming the script.</summary>
internal sealed class ActionInputs(ActionContext context)
{
    public string? Text(string key)
    {
        if (!context.Env.TryGetValue(key, out var value) || value.Trim().Length == 0) return null;
        var expanded = EnvRules.Expand(value.Trim(), context.Env);
        if (EnvRules.HasUnresolvedReference(expanded))
            throw Fail($"{key} is '{value}', but the key it refers to was not set by any dep", $"Check that the dep exporting it ran, or pass --env.{key}=VALUE.");
        return expanded;
    }

    public string Required(string key, string input) =>
        Text(key) ?? throw Fail($"no value for {key}", $"Pass --{input}=VALUE (or --env.{key}=VALUE).");

    /// <summary>A path value; relative paths are taken from the folder the user ran cm in.</summary>
    public string? FullPath(string key) =>
        Text(key) is { } path ? Path.GetFullPath(path, context.Env.GetValueOrDefault("CM_TMP_CURRENT_PATH") ?? Environment.CurrentDirectory) : null;

    public int Integer(string key, int fallback, int min) => Number(key, fallback, min, int.TryParse);

    public double Real(string key, double fallback, double min) => Number(key, fallback, min, double.TryParse);

    /// <summary>A size in bytes, with an optional binary suffix: 1048576, 512K, 20M, 50G, 2T; null when the key is not set.</summary>
    public long? Bytes(string key)
    {
        var text = Text(key);
        if (text is null) return null;
        var (digits, shift) = char.ToUpperInvariant(text[^1]) switch
        {
            'K' => (text[..^1], 10),
            'M' => (text[..^1], 20),
            'G' => (text[..^1], 30),
            'T' => (text[..^1], 40),
            _ => (text, 0),
        };
        if (!long.TryParse(digits.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value > long.MaxValue >> shift)
            throw Fail($"{key} is '{text}', which is not a size", $"Pass a number of bytes, optionally with K, M, G or T, e.g. --env.{key}=50G.");
        return value << shift;
    }

    public bool Flag(string key) => Text(key)?.ToLowerInvariant() is "yes" or "true" or "on" or "1";

    private delegate bool Parser<T>(string text, NumberStyles styles, IFormatProvider provider, out T value);

    private T Number<T>(string key, T fallback, T min, Parser<T> parse) where T : IComparable<T>
    {
        var text = Text(key);
        if (text is null) return fallback;
        if (!parse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value.CompareTo(min) < 0)
            throw Fail($"{key} is '{text}', which is not a number >= {min}", $"Pass a number, e.g. --env.{key}={fallback}.");
        return value;
    }

    public AutomationException Fail(string message, string fix) =>
        new(message, context.Node.Script.MetaFile, context.Node.Script.Alias, fix);
}
