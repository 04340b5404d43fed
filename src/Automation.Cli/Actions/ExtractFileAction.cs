using Automation.Core.Actions;
using Automation.Core.Execution;
using Newtonsoft.Json.Linq;

namespace Automation.Cli.Actions;

/// <summary>
/// `extract-file` (and the extraction half of `download-and-extract`): unpacks CM_EXTRACT_FILEPATH with
/// <see cref="ArchiveExtractor"/> into CM_EXTRACT_PATH or the cache entry. Exports CM_EXTRACT_EXTRACTED_PATH (the
/// folder, or the file for a single-file .gz/.xz) and the key named by CM_EXTRACT_FINAL_ENV_NAME. CM_EXTRACT_MAX_SIZE
/// bounds what the archive may unpack to (default: <see cref="ExtractOptions.DefaultMaxBytes"/>).
/// </summary>
public sealed class ExtractFileAction : IBuiltinAction
{
    public string Name => "extract-file";

    public Task<StepOutcome> RunAsync(ActionContext context, CancellationToken cancellationToken)
    {
        var inputs = new ActionInputs(context);
        var archive = inputs.FullPath("CM_EXTRACT_FILEPATH") ?? throw inputs.Fail("no archive to extract", "Pass --input=ARCHIVE.");
        if (!File.Exists(archive)) throw inputs.Fail($"the archive '{archive}' does not exist", "Check the --input path.");
        var target = inputs.FullPath("CM_EXTRACT_PATH") ?? Path.Combine(context.WorkDir, "extracted");
        context.Log.WriteLine($"extract {archive} -> {target}");

        var result = new ArchiveExtractor().Extract(archive, target,
            new ExtractOptions(inputs.Integer("CM_EXTRACT_STRIP_COMPONENTS", 0, 0), inputs.Flag("CM_EXTRACT_OVERWRITE"), MaxBytes: inputs.Bytes("CM_EXTRACT_MAX_SIZE")),
            cancellationToken);
        var singleFile = result.Format is ArchiveFormat.Gz or ArchiveFormat.Xz && result.Entries.Count == 1;
        var extracted = singleFile ? Path.Combine(result.TargetDirectory, result.Entries[0]) : result.TargetDirectory;
        context.Log.WriteLine($"{result.Format}: {result.Entries.Count} entries, {result.Bytes} bytes");

        var env = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["CM_EXTRACT_EXTRACTED_PATH"] = extracted,
            ["CM_EXTRACT_EXTRACTED_FORMAT"] = result.Format.ToString().ToLowerInvariant(),
        };
        if (inputs.Text("CM_EXTRACT_FINAL_ENV_NAME") is { } finalName) env[finalName] = extracted;
        var evidence = new JObject { ["archive"] = archive, ["format"] = env["CM_EXTRACT_EXTRACTED_FORMAT"], ["entries"] = result.Entries.Count, ["bytes"] = result.Bytes };
        return Task.FromResult(new StepOutcome(env, new JObject(), null, evidence, [extracted]));
    }
}
