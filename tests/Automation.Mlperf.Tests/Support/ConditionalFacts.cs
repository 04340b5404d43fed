using System.Diagnostics;
using Automation.Mlperf.Datasets;

namespace Automation.Mlperf.Tests.Support;

/// <summary>Runs only where Debian's dataset-fashion-mnist is installed; elsewhere skips and says why.</summary>
public sealed class FashionMnistFactAttribute : FactAttribute
{
    public FashionMnistFactAttribute()
    {
        if (!File.Exists(Path.Combine(FashionMnist.DefaultFolder, "t10k-labels-idx1-ubyte.gz")))
            Skip = $"Fashion-MNIST is not installed at {FashionMnist.DefaultFolder} (apt-get install dataset-fashion-mnist).";
    }
}

/// <summary>Runs only where /usr/bin/python3 can import onnx (Debian python3-onnx); elsewhere skips and says why.</summary>
public sealed class PythonOnnxFactAttribute : FactAttribute
{
    public const string Python = "/usr/bin/python3";
    private static readonly Lazy<string?> Missing = new(Probe);

    public PythonOnnxFactAttribute()
    {
        if (Missing.Value is { } reason) Skip = reason;
    }

    private static string? Probe()
    {
        if (!File.Exists(Python)) return $"{Python} is missing; the ONNX checker test needs python3 with the onnx module (apt-get install python3-onnx).";
        var (code, output) = Run("-c \"import onnx\"");
        return code == 0 ? null : $"{Python} cannot import onnx ({output.Trim()}); install python3-onnx to run the ONNX checker test.";
    }

    public static (int ExitCode, string Output) Run(string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(Python, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout + stderr.Result);
    }
}
