using Automation.Core.Errors;
using Automation.Core.Meta;

namespace Automation.Cli.Hosting;

/// <summary>
/// CM's free-form flags that no fixed parser can declare: --env.KEY=VALUE, --adr.NAME.FIELD=VALUE, --sweep.AXIS=..., and
/// script inputs (--results_dir=DIR or --results_dir DIR) mapped through the script's input_mapping.
/// </summary>
public sealed record DottedFlags(
    IReadOnlyDictionary<string, string> Env,
    IReadOnlyDictionary<string, DepOverride> Adr,
    IReadOnlyDictionary<string, string> Inputs,
    IReadOnlyDictionary<string, string> Sweep,
    IReadOnlyList<string> Positionals)
{
    public static DottedFlags Parse(IReadOnlyList<string> tokens)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        var adr = new Dictionary<string, DepOverride>(StringComparer.Ordinal);
        var inputs = new Dictionary<string, string>(StringComparer.Ordinal);
        var sweep = new Dictionary<string, string>(StringComparer.Ordinal);
        var positionals = new List<string>();
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            if (!token.StartsWith("--", StringComparison.Ordinal) || token.Length == 2) { positionals.Add(token); continue; }
            string name, value;
            var eq = token.IndexOf('=');
            if (eq > 0) (name, value) = (token[2..eq], token[(eq + 1)..]);
            else if (i + 1 < tokens.Count && !tokens[i + 1].StartsWith("--", StringComparison.Ordinal)) (name, value) = (token[2..], tokens[++i]);
            else (name, value) = (token[2..], "yes");

            if (name.StartsWith("env.", StringComparison.Ordinal)) env[name[4..]] = value;
            else if (name.StartsWith("adr.", StringComparison.Ordinal)) AddAdr(adr, name[4..], value, token);
            else if (name.StartsWith("sweep.", StringComparison.Ordinal)) sweep[name[6..]] = value;
            else inputs[name.Replace('-', '_')] = value;
        }
        return new DottedFlags(env, adr, inputs, sweep, positionals);
    }

    private static void AddAdr(Dictionary<string, DepOverride> adr, string rest, string value, string token)
    {
        var dot = rest.IndexOf('.');
        if (dot <= 0) throw new AutomationException($"flag '{token}' needs the form --adr.NAME.FIELD=VALUE", fix: "For example --adr.python.version_min=3.9 or --adr.compiler.tags=gcc.");
        var name = rest[..dot];
        var field = rest[(dot + 1)..];
        var current = adr.GetValueOrDefault(name) ?? DepOverride.Empty;
        adr[name] = field switch
        {
            "tags" => current with { Tags = [.. current.Tags, .. value.Split(',', StringSplitOptions.RemoveEmptyEntries)] },
            "version" => current with { Version = value },
            "version_min" => current with { VersionMin = value },
            "version_max" => current with { VersionMax = value },
            _ when field.StartsWith("env.", StringComparison.Ordinal) => current with { Env = new Dictionary<string, string>(current.Env) { [field[4..]] = value } },
            _ => throw new AutomationException($"flag '{token}' sets unknown dep field '{field}'", fix: "Use tags, version, version_min, version_max or env.KEY."),
        };
    }
}
