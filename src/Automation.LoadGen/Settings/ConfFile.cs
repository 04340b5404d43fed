namespace Automation.LoadGen.Settings;

/// <summary>A conf file could not be read; <see cref="Errors"/> lists every bad line as LoadGen words it.</summary>
public sealed class LoadGenConfigException(IReadOnlyList<string> errors)
    : FormatException("Invalid LoadGen config: " + string.Join("; ", errors))
{
    public IReadOnlyList<string> Errors { get; } = errors;
}

/// <summary>
/// One parsed mlperf.conf / user.conf / audit.config: "model.scenario.key = value" lines, whitespace-separated
/// tokens, a lone "#" token (before the value) ends the line, and the last occurrence of a key wins.
/// </summary>
public sealed class ConfFile
{
    private readonly Dictionary<string, string> _values;

    private ConfFile(Dictionary<string, string> values) => _values = values;

    public IReadOnlyDictionary<string, string> Values => _values;

    /// <exception cref="LoadGenConfigException">A value is not a number, or a key is not followed by "=".</exception>
    public static ConfFile Parse(string text)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var errors = new List<string>();
        var lineNumber = 0;
        foreach (var line in text.Split('\n'))
        {
            lineNumber++;
            ParseLine(line, lineNumber, values, errors);
        }
        if (errors.Count != 0) throw new LoadGenConfigException(errors);
        return new ConfFile(values);
    }

    private static void ParseLine(string line, int lineNumber, Dictionary<string, string> values, List<string> errors)
    {
        var key = "";
        var expecting = Expect.Key;
        foreach (var token in line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            if (token == "#" && expecting != Expect.Value) return;
            switch (expecting)
            {
                case Expect.Value:
                    // LoadGen keeps reading values after the first one; each must be a number and the last one wins.
                    if (!CNumber.IsWholeInteger(token) && !CNumber.IsWholeDouble(token))
                    {
                        errors.Add($"value needs to be integer or double, line={lineNumber}");
                        return;
                    }
                    values[key] = token;
                    break;
                case Expect.Equals when token != "=":
                    errors.Add($"expected 'key=value', line={lineNumber}");
                    return;
                case Expect.Equals:
                    expecting = Expect.Value;
                    break;
                default:
                    key = token;
                    expecting = Expect.Equals;
                    break;
            }
        }
    }

    /// <summary>Looks a key up in LoadGen's order: model.scenario, *.scenario, model.*, *.*.</summary>
    public bool TryLookup(string model, string scenario, string key, out string value) =>
        _values.TryGetValue($"{model}.{scenario}.{key}", out value!)
        || _values.TryGetValue($"*.{scenario}.{key}", out value!)
        || _values.TryGetValue($"{model}.*.{key}", out value!)
        || _values.TryGetValue($"*.*.{key}", out value!);

    private enum Expect { Key, Equals, Value }
}
