using Automation.Core.Env;
using Xunit;

namespace Automation.Core.Tests.Env;

/// <summary>The engine's own env keys under a library's prefix (MLCFlow's module.py names).</summary>
public sealed class EngineKeysTests
{
    [Fact]
    public void TheSameKeysUnderEachPrefix()
    {
        Assert.Equal("CM_TMP_CURRENT_SCRIPT_PATH", EngineKeys.Cm.TmpCurrentScriptPath);
        Assert.Equal("MLC_TMP_CURRENT_SCRIPT_PATH", EngineKeys.Mlc.TmpCurrentScriptPath);
        Assert.Equal("MLC_TMP_CURRENT_SCRIPT_WORK_PATH", EngineKeys.Mlc.TmpCurrentScriptWorkPath);
        Assert.Equal("MLC_TMP_CURRENT_PATH", EngineKeys.Mlc.TmpCurrentPath);
        Assert.Equal("MLC_TMP_CURRENT_SCRIPT_REPO_PATH_WITH_PREFIX", EngineKeys.Mlc.TmpCurrentScriptRepoPathWithPrefix);
        Assert.Equal("MLC_QUIET", EngineKeys.Mlc.Quiet);
        Assert.Equal("MLC_TMP_PIP_VERSION_STRING", EngineKeys.Mlc.TmpPipVersionString);
        Assert.Equal(["MLC_VERSION", "MLC_VERSION_MIN", "MLC_VERSION_MAX", "MLC_VERSION_MAX_USABLE"], EngineKeys.Mlc.VersionKeys);
        Assert.Equal("MLC_TMP_PATH", EngineKeys.Mlc.TmpInput("path"));
        Assert.Same(EngineKeys.Mlc, EngineKeys.For("MLC_"));
    }

    [Fact]
    public void LocalKeysFollowThePrefix()
    {
        Assert.Contains("MLC_TMP_*", EngineKeys.Mlc.LocalKeyPatterns);
        Assert.Contains("MLC_VERSION_MAX_USABLE", EngineKeys.Mlc.LocalKeyPatterns);
        Assert.Contains("CM_GIT_*", EngineKeys.Cm.LocalKeyPatterns);
        Assert.DoesNotContain(EngineKeys.Mlc.LocalKeyPatterns, p => p.StartsWith("CM_", StringComparison.Ordinal));
    }

    [Fact]
    public void TranslateMovesAKeyBetweenPrefixesAndLeavesOtherKeysAlone()
    {
        Assert.Equal("MLC_TMP_CURRENT_PATH", EngineKeys.Mlc.Translate("CM_TMP_CURRENT_PATH", EngineKeys.Cm));
        Assert.Equal("CM_QUIET", EngineKeys.Cm.Translate("MLC_QUIET", EngineKeys.Mlc));
        Assert.Equal("PATH", EngineKeys.Mlc.Translate("PATH", EngineKeys.Cm));
        Assert.Equal("CM_X", EngineKeys.Cm.Translate("CM_X", EngineKeys.Cm));
    }

    [Theory]
    [InlineData("1.2", "1.0", "2.0", "==1.2")]
    [InlineData(null, "1.0", "2.0", ">=1.0,<=2.0")]
    [InlineData("", "1.0", null, ">=1.0")]
    [InlineData(null, null, "2.0", "<=2.0")]
    [InlineData(null, null, null, "")]
    public void PipVersionStringIsBuiltAsMlcFlowBuildsIt(string? version, string? min, string? max, string expected)
    {
        Assert.Equal(expected, EngineKeys.PipVersionString(version, min, max));
        var env = new Dictionary<string, string>();
        if (version is not null) env["MLC_VERSION"] = version;
        if (min is not null) env["MLC_VERSION_MIN"] = min;
        if (max is not null) env["MLC_VERSION_MAX"] = max;
        Assert.Equal(expected, EngineKeys.Mlc.PipVersionString(env));
    }

    [Fact]
    public void AnythingButAnEnvPrefixIsRefused()
    {
        Assert.Throws<ArgumentException>(() => EngineKeys.For("MLC"));
        Assert.Throws<ArgumentException>(() => EngineKeys.For(""));
        Assert.Equal("XYZ_QUIET", EngineKeys.For("XYZ_").Quiet);
    }
}
