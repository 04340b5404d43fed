using Automation.Core.Execution;
using Automation.Core.Meta;
using Automation.Core.Resolution;
using Xunit;

namespace Automation.Core.Tests.Execution;

/// <summary>Issue 17, item 1: what a cached call exports is what it produced, never what its caller handed down.</summary>
public sealed class ProducedEnvTests
{
    private static PreparedCall Call(IReadOnlyDictionary<string, string>? callerEnv = null, IReadOnlyDictionary<string, string>? overrides = null, string metaEnv = "{}") =>
        CallPreparer.Prepare(new CallRequest
        {
            Script = MetaReader.Parse($$"""{"alias":"tool","uid":"t","tags":["tool"],"cache":true,"new_env_keys":["X_*","+PATH"],"env":{{metaEnv}}}""", "/s/tool/_cm.json", "/s/tool"),
            Env = callerEnv ?? ScriptMeta.Empty,
            EnvOverrides = overrides ?? ScriptMeta.Empty,
        });

    private static Dictionary<string, string> Map(params (string Key, string Value)[] pairs) => pairs.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);

    [Fact]
    public void AHandedDownKeyTheCallDidNotSetIsDropped()
    {
        var exported = new ProducedEnv(':').WithoutInherited(Map(("X_MODE", "official"), ("X_RESULT", "r")), Call(Map(("X_MODE", "official"))));
        Assert.Equal(Map(("X_RESULT", "r")), exported);
    }

    [Fact]
    public void AKeyTheCallWroteIsKeptEvenWithTheCallersValue()
    {
        var produced = new ProducedEnv(':');
        produced.Record(Map(("X_PATH", "/usr/bin/tool")));
        var exported = produced.WithoutInherited(Map(("X_PATH", "/usr/bin/tool")), Call(Map(("X_PATH", "/usr/bin/tool"))));
        Assert.Equal("/usr/bin/tool", exported["X_PATH"]);
    }

    [Fact]
    public void CommandLineEnvCountsAsHandedDownButTheMetasOwnEnvIsTheScripts()
    {
        var exported = new ProducedEnv(':').WithoutInherited(Map(("X_MODE", "cli"), ("X_OWN", "cli")), Call(overrides: Map(("X_MODE", "cli"), ("X_OWN", "cli")), metaEnv: """{"X_OWN":"meta"}"""));
        Assert.Equal(Map(("X_OWN", "cli")), exported);
    }

    [Fact]
    public void OfAListOnlyTheItemsTheCallAddedAreKept()
    {
        var produced = new ProducedEnv(':');
        produced.Record(Map(("+PATH", "/opt/tool/bin:/usr/bin")));
        var exported = produced.WithoutInherited(Map(("+PATH", "/caller/bin:/usr/bin:/opt/tool/bin")), Call(Map(("+PATH", "/caller/bin:/usr/bin"))));
        Assert.Equal("/usr/bin:/opt/tool/bin", exported["+PATH"]);

        var nothingAdded = new ProducedEnv(':').WithoutInherited(Map(("+PATH", "/caller/bin")), Call(Map(("+PATH", "/caller/bin"))));
        Assert.Empty(nothingAdded);
    }

    [Fact]
    public void AHookThatChangedOrRemovedAKeyMadeIt()
    {
        var produced = new ProducedEnv(':');
        produced.RecordChanges(Map(("X_A", "1"), ("X_B", "1")), Map(("X_A", "2")));
        var exported = produced.WithoutInherited(Map(("X_A", "1"), ("X_B", "1")), Call(Map(("X_A", "1"), ("X_B", "1"))));
        Assert.Equal(Map(("X_A", "1"), ("X_B", "1")), exported);
    }
}
