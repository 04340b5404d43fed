using Automation.LoadGen.Benchmark;
using Automation.LoadGen.Settings;
using Xunit;

namespace Automation.LoadGen.Official.Tests;

/// <summary>Loading the shim and choosing an engine; failures say what to do.</summary>
[Collection(OfficialCollection.Name)]
public sealed class OfficialLoadGenTests(OfficialLoadGenFixture build)
{
    [Fact]
    public void AMissingShimLibraryIsAClearError()
    {
        var e = Assert.Throws<OfficialLoadGenException>(() => new OfficialLoadGen("/nonexistent/libmlperf_loadgen_shim.so"));
        Assert.Contains("does not exist", e.Message);
        Assert.Contains("get,mlperf,inference,loadgen", e.Message);
    }

    [Fact]
    public void ALibraryThatIsNotTheShimIsRejected()
    {
        var libc = new[] { "/lib/x86_64-linux-gnu/libc.so.6", "/usr/lib/x86_64-linux-gnu/libc.so.6", "/lib/aarch64-linux-gnu/libc.so.6" }.FirstOrDefault(File.Exists);
        if (libc is null) return; // not a glibc Linux: nothing to load as a foreign library
        var e = Assert.Throws<OfficialLoadGenException>(() => new OfficialLoadGen(libc));
        Assert.Contains("shim_", e.Message);
    }

    [Fact]
    public void TheEngineEnvChoosesTheEngineAndNativeIsTheDefault()
    {
        Assert.IsType<NativeLoadGen>(LoadGenEngines.FromEnv(new Dictionary<string, string>()));
        Assert.IsType<NativeLoadGen>(LoadGenEngines.FromEnv(new Dictionary<string, string> { [LoadGenEngines.EngineEnv] = "native" }));
        var e = Assert.Throws<OfficialLoadGenException>(() => LoadGenEngines.FromEnv(new Dictionary<string, string> { [LoadGenEngines.EngineEnv] = "official" }));
        Assert.Contains(OfficialLoadGen.ShimLibraryEnv, e.Message);
        Assert.Throws<ArgumentException>(() => LoadGenEngines.FromEnv(new Dictionary<string, string> { [LoadGenEngines.EngineEnv] = "turbo" }));
    }

    [OfficialFact]
    public void TheOfficialEngineComesFromTheEnvTheLoadGenScriptExports()
    {
        var engine = LoadGenEngines.FromEnv(new Dictionary<string, string>
        {
            [LoadGenEngines.EngineEnv] = "official",
            [OfficialLoadGen.ShimLibraryEnv] = build.ShimLibrary,
        });
        var official = Assert.IsType<OfficialLoadGen>(engine);
        Assert.Equal("6.0.17", official.LoadGenVersion);
        Assert.Equal("official", official.EngineName);
    }

    [OfficialFact]
    public void ASutThatThrowsEndsTheTestAndTheErrorReachesTheCaller()
    {
        using var dir = new TempDir();
        var engine = new OfficialLoadGen(build.ShimLibrary);
        var settings = new TestSettings { Scenario = TestScenario.SingleStream, MinDurationMs = 50, MinQueryCount = 10, SingleStreamExpectedLatencyNs = 100_000 };

        var e = Assert.Throws<OfficialLoadGenException>(() => engine.Run(new ThrowingSut(), new InMemoryQsl(16, 16), settings, new LogSettings { OutputDirectory = dir.Path }));
        Assert.Contains("SUT broke", e.Message);
        Assert.IsType<InvalidOperationException>(e.InnerException);

        // LoadGen is still usable afterwards.
        var ok = engine.Run(new NullSut(), new InMemoryQsl(16, 16), settings, new LogSettings { OutputDirectory = dir.Path });
        Assert.True(ok.QueryCount >= 10);
    }

    private sealed class ThrowingSut : ISystemUnderTest
    {
        public string Name => "ThrowingSUT";
        public void IssueQuery(IReadOnlyList<QuerySample> samples, IQueryCompleter completer) => throw new InvalidOperationException("SUT broke");
        public void FlushQueries()
        {
        }
    }
}
