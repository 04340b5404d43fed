using Automation.Experiments.Results;
using Automation.Experiments.Sweeps;
using Newtonsoft.Json.Linq;
using Xunit;

namespace Automation.Experiments.Tests;

public sealed class ResultTableTests
{
    [Fact]
    public void Table_has_documented_columns_quotes_csv_and_round_trips_records()
    {
        var dir = TestEnvironment.TempDir("table");
        var spec = new ExperimentSpec { Tags = "t", Axes = [new SweepAxis("batch_size", ["1", "2"])], ResultsDir = dir };
        var points = SweepExpander.Expand(spec);
        PointRecord Row(int i, string status, string? error) => new()
        {
            Point = points[i], Dir = Path.Combine(dir, i.ToString()), Status = status, ExitCode = status == "ok" ? 0 : 1, DurationSeconds = 1.5,
            StartedUtc = new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc), Figures = status == "ok" ? new Dictionary<string, string> { ["CM_X"] = "4,5" } : new Dictionary<string, string>(),
            Command = "cm run script", Error = error,
        };
        var rows = new[] { Row(1, PointStatus.Failed, "it said \"no\""), Row(0, PointStatus.Ok, null) };
        ResultTable.Write(dir, spec, rows);

        var lines = File.ReadAllLines(Path.Combine(dir, ResultTable.CsvFile));
        Assert.Equal("point_index,point_hash,param.batch_size,status,exit_code,duration_s,started_utc,backend,job_id,scheduler_state,reused,point_dir,figure.CM_X,log,error,command", lines[0]);
        Assert.StartsWith($"0,{points[0].Hash},1,ok,0,1.5,2026-01-02T03:04:05.000Z,local,", lines[1]);
        Assert.Contains("\"4,5\"", lines[1]);
        Assert.Contains("\"it said \"\"no\"\"\"", lines[2]);

        var json = JObject.Parse(File.ReadAllText(Path.Combine(dir, ResultTable.JsonFile)));
        Assert.Equal(ResultTable.Schema, (string?)json["schema"]);
        Assert.Equal(1, (int)json["summary"]!["ok"]!);
        var back = PointRecord.FromJson((JObject)json["rows"]![0]!);
        Assert.Equal(rows[1].ToJson().ToString(), back.ToJson().ToString());
        Assert.Equal("4,5", back.Figures["CM_X"]);
    }
}
