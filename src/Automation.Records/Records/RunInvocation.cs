using Automation.Core.Resolution;

namespace Automation.Records.Records;

/// <summary>How a top-level `cm run script` was called: what a replay needs to run it again.</summary>
public sealed record RunInvocation(
    IReadOnlyList<string> Argv,
    string CurrentDirectory,
    RunRequest Request,
    string CacheDir,
    string? CmBinary,
    string CmVersion,
    DateTimeOffset Started);
