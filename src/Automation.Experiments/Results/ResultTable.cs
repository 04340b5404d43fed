using System.Globalization;
using System.Text;
using Automation.Core.Files;
using Automation.Experiments.Sweeps;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Automation.Experiments.Results;

/// <summary>
/// The experiment's one results table, <c>experiment.csv</c> and <c>experiment.json</c> in the results folder.
/// Schema <see cref="Schema"/>, columns documented in docs/experiments.md; rows in point order.
/// </summary>
public static class ResultTable
{
    public const string Schema = "automation.experiment.table/1";
    public const string CsvFile = "experiment.csv";
    public const string JsonFile = "experiment.json";

    private static readonly string[] FixedColumns = ["status", "exit_code", "duration_s", "started_utc", "backend", "job_id", "scheduler_state", "reused", "point_dir"];

    public static IReadOnlyList<string> Columns(ExperimentSpec spec, IReadOnlyList<PointRecord> rows) =>
    [
        "point_index", "point_hash",
        .. spec.Axes.Select(a => "param." + a.Name),
        .. FixedColumns,
        .. FigureKeys(rows).Select(k => "figure." + k),
        "log", "error", "command",
    ];

    public static void Write(string resultsDir, ExperimentSpec spec, IReadOnlyList<PointRecord> rows)
    {
        Directory.CreateDirectory(resultsDir);
        var ordered = rows.OrderBy(r => r.Point.Index).ToList();
        var columns = Columns(spec, ordered);
        var json = new JObject
        {
            ["schema"] = Schema,
            ["experiment"] = new JObject
            {
                ["tags"] = spec.Tags,
                ["hash"] = spec.Hash[..16],
                ["axes"] = new JObject(spec.Axes.Select(a => new JProperty(a.Name, new JArray(a.Values)))),
                ["fixed_args"] = new JArray(spec.FixedArgs),
                ["results_dir"] = resultsDir,
            },
            ["columns"] = new JArray(columns),
            ["summary"] = new JObject(ordered.GroupBy(r => r.Status).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => new JProperty(g.Key, g.Count()))),
            ["rows"] = new JArray(ordered.Select(r => r.ToJson())),
        };
        AtomicFile.WriteAllText(Path.Combine(resultsDir, JsonFile), json.ToString(Formatting.Indented) + "\n");

        var csv = new StringBuilder();
        csv.AppendJoin(',', columns.Select(Quote)).Append('\n');
        foreach (var row in ordered) csv.AppendJoin(',', columns.Select(c => Quote(Cell(row, c)))).Append('\n');
        AtomicFile.WriteAllText(Path.Combine(resultsDir, CsvFile), csv.ToString());
    }

    public static string Cell(PointRecord r, string column) => column switch
    {
        "point_index" => r.Point.Index.ToString(CultureInfo.InvariantCulture),
        "point_hash" => r.Point.Hash,
        "status" => r.Status,
        "exit_code" => r.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "",
        "duration_s" => r.DurationSeconds?.ToString("0.###", CultureInfo.InvariantCulture) ?? "",
        "started_utc" => r.StartedUtc?.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture) ?? "",
        "backend" => r.Backend,
        "job_id" => r.JobId ?? "",
        "scheduler_state" => r.SchedulerState ?? "",
        "reused" => r.Reused ? "true" : "false",
        "point_dir" => r.Dir,
        "log" => r.Log ?? "",
        "error" => r.Error ?? "",
        "command" => r.Command,
        _ when column.StartsWith("param.", StringComparison.Ordinal) => r.Point.Parameters.FirstOrDefault(p => p.Key == column[6..]).Value ?? "",
        _ when column.StartsWith("figure.", StringComparison.Ordinal) => r.Figures.GetValueOrDefault(column[7..]) ?? "",
        _ => throw new ArgumentOutOfRangeException(nameof(column), column, "unknown column"),
    };

    private static IEnumerable<string> FigureKeys(IEnumerable<PointRecord> rows) =>
        rows.SelectMany(r => r.Figures.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);

    /// <summary>RFC 4180: quote fields holding a comma, quote, CR or LF; double inner quotes.</summary>
    public static string Quote(string field) =>
        field.AsSpan().IndexOfAny(",\"\r\n") < 0 ? field : "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
