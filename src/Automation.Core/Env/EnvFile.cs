namespace Automation.Core.Env;

/// <summary>
/// The KEY=VALUE text run scripts hand back in tmp-run-env.out: one reader and one writer, so the two always agree.
/// Reading: blank lines, lines starting with '#' and lines without a key before '=' are skipped; the key is trimmed;
/// the value is kept as written except for one pair of surrounding double quotes; a later line wins; CR before LF is
/// dropped. Writing: one line per key in ordinal order; a value that would not read back the same (a line break, or
/// quotes around it) is refused, since the format has no escapes.
/// </summary>
public static class EnvFile
{
    public static Dictionary<string, string> Parse(string text)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var eq = line.IndexOf('=');
            if (eq <= 0) continue;
            var key = line[..eq].Trim();
            if (key.Length == 0) continue;
            var value = line[(eq + 1)..];
            if (value.Length >= 2 && value[0] == '"' && value[^1] == '"') value = value[1..^1];
            result[key] = value;
        }
        return result;
    }

    /// <exception cref="ArgumentException">A key or value the format cannot hold.</exception>
    public static string Format(IEnumerable<KeyValuePair<string, string>> env)
    {
        var text = new System.Text.StringBuilder();
        foreach (var (key, value) in env.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            if (key.Trim().Length == 0 || key != key.Trim() || key.StartsWith('#') || key.IndexOfAny(['=', '\n', '\r']) >= 0)
                throw new ArgumentException($"'{key}' cannot be a key of an env file", nameof(env));
            if (value.IndexOfAny(['\n', '\r']) >= 0 || (value.Length >= 2 && value[0] == '"' && value[^1] == '"'))
                throw new ArgumentException($"the value of {key} cannot be written to an env file (a line break, or surrounding quotes)", nameof(env));
            text.Append(key).Append('=').Append(value).Append('\n');
        }
        return text.ToString();
    }
}
