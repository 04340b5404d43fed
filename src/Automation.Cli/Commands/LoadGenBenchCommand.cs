using System.CommandLine;
using Automation.Core.Errors;
using Automation.LoadGen;
using Automation.LoadGen.Official;
using Automation.LoadGen.Official.Benchmark;
using Automation.LoadGen.Settings;

namespace Automation.Cli.Commands;

/// <summary>
/// Hidden `cm loadgen-bench`: one engine, one scenario, against the null SUT, in this process; prints one JSON line
/// (<see cref="EngineRunReport"/>) with the process's own peak memory. The benchmark script runs it once per
/// measurement so that each engine's memory is measured alone.
/// </summary>
public static class LoadGenBenchCommand
{
    public const string Name = "loadgen-bench";

    public static Command Create()
    {
        var engine = new Option<string>("--engine") { Description = "native or official", Required = true };
        var scenario = new Option<string>("--scenario") { Description = "SingleStream, MultiStream, Server or Offline", Required = true };
        var output = new Option<string>("--out") { Description = "Folder for the MLPerf log files", Required = true };
        var shimLib = new Option<string?>("--shim-lib") { Description = $"Official engine: the built shim (default: ${OfficialLoadGen.ShimLibraryEnv})" };
        var defaults = new BenchmarkProfile();
        var minDuration = new Option<ulong>("--min-duration-ms") { DefaultValueFactory = _ => defaults.MinDurationMs };
        var serverTarget = new Option<double>("--server-target-qps") { DefaultValueFactory = _ => defaults.ServerTargets[0] };
        var offlineQps = new Option<double>("--offline-expected-qps") { DefaultValueFactory = _ => defaults.OfflineExpectedQps };
        var singleStreamLatency = new Option<double>("--singlestream-expected-latency-ns") { DefaultValueFactory = _ => defaults.SingleStreamExpectedLatencyNs };
        var multiStreamLatency = new Option<double>("--multistream-expected-latency-ns") { DefaultValueFactory = _ => defaults.MultiStreamExpectedLatencyNs };
        var qslSize = new Option<int>("--qsl-size") { DefaultValueFactory = _ => defaults.QslSize };
        var command = new Command(Name, "Run one LoadGen engine once against the null SUT and print a JSON report (used by the loadgen benchmark script)")
        {
            engine, scenario, output, shimLib, minDuration, serverTarget, offlineQps, singleStreamLatency, multiStreamLatency, qslSize,
        };
        command.Hidden = true;
        command.SetAction(parse =>
        {
            if (!LoadGenEngines.TryParse(parse.GetValue(engine), out var kind))
                throw new AutomationException($"unknown --engine '{parse.GetValue(engine)}'", fix: "Use --engine native or --engine official.");
            if (!Enum.TryParse<TestScenario>(parse.GetValue(scenario), ignoreCase: true, out var chosen))
                throw new AutomationException($"unknown --scenario '{parse.GetValue(scenario)}'", fix: "Use SingleStream, MultiStream, Server or Offline.");
            var profile = new BenchmarkProfile
            {
                MinDurationMs = parse.GetValue(minDuration),
                OfflineExpectedQps = parse.GetValue(offlineQps),
                SingleStreamExpectedLatencyNs = parse.GetValue(singleStreamLatency),
                MultiStreamExpectedLatencyNs = parse.GetValue(multiStreamLatency),
                QslSize = parse.GetValue(qslSize),
            };
            ILoadGenEngine loadGen;
            try
            {
                loadGen = LoadGenEngines.Create(kind, parse.GetValue(shimLib));
            }
            catch (OfficialLoadGenException e)
            {
                throw new AutomationException(e.Message, inner: e);
            }
            var report = EngineRunner.Run(loadGen, profile.SettingsFor(chosen, parse.GetValue(serverTarget)), parse.GetValue(output)!, profile.QslSize);
            Console.Out.WriteLine(report.ToJsonLine());
            return 0;
        });
        return command;
    }
}
