using Xunit;
using Xunit.Abstractions;

namespace Automation.Cli.Tests.Library;

/// <summary>
/// Scripts of the real MLC library run unchanged by our cm (customize.py through the Python host) give the same
/// new_env as MLCFlow 1.3.6 running the same library folder on the same machine: every key of MLCFlow's new_env, with
/// the same value (values pointing into either tool's cache only need the key).
/// </summary>
public sealed class LibraryOracleTests(MlcFlowOracle oracle, ITestOutputHelper output) : IClassFixture<MlcFlowOracle>
{
    [WithMlcFlowTheory]
    [InlineData("detect,os")]
    [InlineData("detect,cpu")]
    [InlineData("get,python3")]
    [InlineData("get,cmake")]
    [InlineData("get,gcc")]
    [InlineData("get,compiler")]
    [InlineData("get,sys-utils-min")]
    [InlineData("get,generic-sys-util,_cmake")]
    public void NewEnvEqualsMlcFlows(string tags) => Compare(tags);

    [WithMlcFlowFact]
    public void A_git_repository_cloned_from_a_local_file_url() => Compare("get,git,repo,_repo." + oracle.SmallRepoUrl);

    [WithMlcFlowFact]
    public void The_mlperf_inference_source_from_a_local_repository() => Compare("get,mlperf,inference,src,_repo." + oracle.InferenceRepoUrl);

    /// <summary>Builds the official LoadGen (cmake, then pip) from that source with each tool: about a minute each.</summary>
    [WithMlcFlowFact]
    public void The_official_loadgen_built_from_the_local_source() =>
        Compare("get,mlperf,inference,loadgen", "--adr.inference-src-loadgen.tags=_repo." + oracle.InferenceRepoUrl);

    private void Compare(string tags, params string[] extra)
    {
        var theirs = oracle.Mlc(tags, extra);
        var ours = oracle.Cm(tags, extra);
        var differences = oracle.Differences(theirs, ours);
        output.WriteLine($"{tags}: MLCFlow new_env has {((Newtonsoft.Json.Linq.JObject)theirs["new_env"]!).Count} keys, {differences.Count} differ");
        Assert.True(((Newtonsoft.Json.Linq.JObject)theirs["new_env"]!).Count > 0 || tags.Contains("sys-utils", StringComparison.Ordinal), $"{tags}: MLCFlow exported nothing");
        Assert.True(differences.Count == 0, $"{tags}: new_env differs from MLCFlow's:\n  {string.Join("\n  ", differences)}");
    }
}
