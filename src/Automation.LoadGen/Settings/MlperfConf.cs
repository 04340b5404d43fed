using System.Reflection;

namespace Automation.LoadGen.Settings;

/// <summary>The official mlperf.conf (LoadGen 6.0.17), shipped as an embedded resource like LoadGen compiles it in.</summary>
public static class MlperfConf
{
    private static readonly Lazy<string> Content = new(() =>
    {
        using var stream = typeof(MlperfConf).Assembly.GetManifestResourceStream("Automation.LoadGen.mlperf.conf")
            ?? throw new InvalidOperationException("mlperf.conf resource is missing from Automation.LoadGen.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    public static string Text => Content.Value;
}
