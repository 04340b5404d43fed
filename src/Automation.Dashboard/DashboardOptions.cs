using System.Net;
using Automation.Core.Catalog;
using Automation.Results;

namespace Automation.Dashboard;

/// <summary>How to start the cm binary for a dashboard run: the native executable, or <c>dotnet cm.dll</c> under the JIT host.</summary>
public sealed record ChildCommand(string FileName, IReadOnlyList<string> PrefixArgs);

/// <summary>Everything `cm serve` decided before the server starts.</summary>
public sealed record DashboardOptions
{
    public required Workspace Workspace { get; init; }
    /// <summary>Each dashboard run gets a folder here (run.json, logs, results).</summary>
    public required string RunsDir { get; init; }
    public required ChildCommand Cm { get; init; }
    public IPAddress Address { get; init; } = IPAddress.Loopback;
    /// <summary>0 picks a free port; <see cref="DashboardServer.Url"/> tells which.</summary>
    public int Port { get; init; } = 8765;
    /// <summary>Required when <see cref="Address"/> is not loopback; optional otherwise.</summary>
    public string? Token { get; init; }
    /// <summary>At most this many runs at once (each is a full `cm run script` process).</summary>
    public int MaxConcurrentRuns { get; init; } = 2;
    /// <summary>MLPerf results folders, submission trees or folders of sweeps to list (`cm serve --results_dir`), beside `&lt;workspace&gt;/results`.</summary>
    public IReadOnlyList<string> ResultsRoots { get; init; } = [];
    /// <summary>Accuracy targets of the official benchmarks (the host knows the MLPerf rules; the dashboard does not).</summary>
    public AccuracyTargets? AccuracyTargets { get; init; }

    public bool IsLoopback => IPAddress.IsLoopback(Address);
}
