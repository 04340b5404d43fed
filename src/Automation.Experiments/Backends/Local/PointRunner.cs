using System.Diagnostics;
using Automation.Core.World;
using Automation.Experiments.Results;
using Automation.Experiments.Sweeps;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Automation.Experiments.Backends.Local;

/// <summary>Where and how points run: the cm binary, the working folder the experiment was started from, and the backend's name.</summary>
public sealed record PointContext(CmCommand Cm, string WorkDir, string Backend = "local", string? JobId = null);

/// <summary>
/// Runs one point as a child <c>cm run script ... -j</c> process (isolated from the others and from the experiment),
/// keeps its JSON output (<c>cm-output.json</c>) and log (<c>cm.log</c>) in the point folder, and records the outcome
/// in <c>point.json</c>. Key figures come from the JSON's <c>new_env</c>, never from the log.
/// </summary>
public sealed class PointRunner(IProcessRunner processes)
{
    public const string OutputFile = "cm-output.json";
    public const string LogFile = "cm.log";
    public const string WorkRootVariable = "CM_WORK_ROOT";

    public async Task<PointRecord> RunAsync(PreparedPoint point, PointContext context, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(point.Dir);
        var started = DateTime.UtcNow;
        var clock = Stopwatch.StartNew();
        var record = new PointRecord
        {
            Point = point.Point,
            Dir = point.Dir,
            Status = PointStatus.Pending,
            StartedUtc = started,
            Backend = context.Backend,
            JobId = context.JobId,
            Command = context.Cm.ShellLine(point.Args),
            Log = Path.Combine(point.Dir, LogFile),
        };
        ProcessResult result;
        try
        {
            // Each point gets its own work root: two points running the same uncached step must not share a folder.
            var env = new Dictionary<string, string>(StringComparer.Ordinal) { [WorkRootVariable] = Path.Combine(point.Dir, "work") };
            result = await processes.RunAsync(new ProcessRequest(context.Cm.FileName, context.Cm.Arguments(point.Args), context.WorkDir, env), cancellationToken);
        }
        catch (OperationCanceledException)
        {
            record = record with { Status = PointStatus.Cancelled, DurationSeconds = Seconds(clock), Error = "cancelled while running" };
            record.Save();
            return record;
        }
        await File.WriteAllTextAsync(Path.Combine(point.Dir, OutputFile), result.StandardOutput, CancellationToken.None);
        await File.WriteAllTextAsync(Path.Combine(point.Dir, LogFile), result.StandardError, CancellationToken.None);
        record = record with { ExitCode = result.ExitCode, DurationSeconds = Seconds(clock) };
        record = result.ExitCode != 0
            ? record with { Status = PointStatus.Failed, Error = ErrorParagraph(result.StandardError) ?? $"exit code {result.ExitCode}" }
            : ReadFigures(record, result.StandardOutput);
        record.Save();
        return record;
    }

    private static PointRecord ReadFigures(PointRecord record, string stdout)
    {
        try
        {
            var json = JObject.Parse(stdout);
            var figures = json["new_env"] is JObject env
                ? env.Properties().ToDictionary(p => p.Name, p => p.Value.Type == JTokenType.String ? (string)p.Value! : p.Value.ToString(Formatting.None), StringComparer.Ordinal)
                : new Dictionary<string, string>();
            return record with { Status = PointStatus.Ok, Figures = figures };
        }
        catch (JsonReaderException e)
        {
            return record with { Status = PointStatus.Failed, Error = $"the point's -j output is not JSON ({e.Message}); see {OutputFile}" };
        }
    }

    /// <summary>cm's own error paragraph (from the last "error:" line on), on one line; else the last line.</summary>
    private static string? ErrorParagraph(string stderr)
    {
        var lines = stderr.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
        var at = lines.FindLastIndex(l => l.StartsWith("error:", StringComparison.Ordinal));
        return at >= 0 ? string.Join(' ', lines.Skip(at))[6..].Trim() : lines.LastOrDefault();
    }

    private static double Seconds(Stopwatch clock) => Math.Round(clock.Elapsed.TotalSeconds, 3);
}
