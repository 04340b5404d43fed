using System.Diagnostics;
using System.Text;
using Automation.Core.Meta;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Xunit;

namespace Automation.Core.Tests.Meta;

/// <summary>
/// PyYAML itself (python3 + yaml.safe_load, what CM and MLCFlow read metas with), as the oracle for our YAML reader.
/// Both sides are written in one canonical JSON form where each scalar carries its Python type and str() text and
/// keys are str(key), so a difference of type (1 vs "1" vs 1.0) or order shows.
/// </summary>
public static class PyYamlOracle
{
    private const string Script = """
        import sys, json, yaml, datetime
        def canon(x):
            if isinstance(x, dict): return {str(k): canon(v) for k, v in x.items()}
            if isinstance(x, list): return [canon(v) for v in x]
            if x is None: return "n"
            if isinstance(x, bool): return "b:" + str(x)
            if isinstance(x, int): return "i:" + str(x)
            if isinstance(x, float): return "f:" + repr(x)
            return "s:" + str(x)
        for path in sys.stdin.read().splitlines():
            try:
                with open(path, encoding="utf-8") as f: out = json.dumps(canon(yaml.safe_load(f)), ensure_ascii=True)
            except yaml.YAMLError as e:
                mark = getattr(e, "problem_mark", None)
                out = "error" + (f" {mark.line + 1}:{mark.column + 1}" if mark else "")
            print(out)
        """;

    public static string? Unavailable { get; } = Probe();

    /// <summary>PyYAML's reading of each file, in order: the canonical JSON text, or "error L:C".</summary>
    public static IReadOnlyList<string> Read(IReadOnlyList<string> files)
    {
        var psi = new ProcessStartInfo("python3") { ArgumentList = { "-c", Script }, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.StandardOutputEncoding = Encoding.UTF8;
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        p.StandardInput.Write(string.Join('\n', files));
        p.StandardInput.Close();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, stderr.Result);
        var lines = stdout.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(files.Count, lines.Length);
        return lines;
    }

    /// <summary>Our reading in the same canonical form.</summary>
    public static string Canonical(JToken token) => Canon(token).ToString(Formatting.None);

    private static JToken Canon(JToken token) => token switch
    {
        JObject o => new JObject(o.Properties().Select(p => new JProperty(p.Name, Canon(p.Value)))),
        JArray a => new JArray(a.Select(Canon)),
        _ => token.Type switch
        {
            JTokenType.Null => "n",
            JTokenType.Boolean => "b:" + PythonText.Str(token),
            JTokenType.Integer => "i:" + PythonText.Str(token),
            JTokenType.Float => "f:" + PythonText.Str(token),
            _ => "s:" + PythonText.Str(token),
        },
    };

    private static string? Probe()
    {
        try
        {
            using var p = Process.Start(new ProcessStartInfo("python3") { ArgumentList = { "-c", "import yaml" }, RedirectStandardError = true, RedirectStandardOutput = true })!;
            p.WaitForExit();
            return p.ExitCode == 0 ? null : "python3 cannot import yaml (Debian python3-yaml), so PyYAML is not here to compare with";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "python3 is not installed, so PyYAML is not here to compare with";
        }
    }
}

/// <summary>A fact that needs PyYAML and the vendored library.</summary>
public sealed class PyYamlFactAttribute : FactAttribute
{
    public PyYamlFactAttribute()
    {
        if ((MlcLibrary.Unavailable ?? PyYamlOracle.Unavailable) is { } why) Skip = why;
    }
}

/// <summary>A theory that needs PyYAML only.</summary>
public sealed class PyYamlTheoryAttribute : TheoryAttribute
{
    public PyYamlTheoryAttribute()
    {
        if (PyYamlOracle.Unavailable is { } why) Skip = why;
    }
}
