using Automation.Core.Env;
using Xunit;

namespace Automation.Core.Tests;

public sealed class EnvRulesTests
{
    [Theory]
    [InlineData("+PATH", "PATH", ':')]
    [InlineData("+ CXXFLAGS", "CXXFLAGS", ' ')]
    [InlineData("+,MLC_GIT_PATCH_FILEPATHS", "MLC_GIT_PATCH_FILEPATHS", ',')]
    [InlineData("MLC_PLAIN", "MLC_PLAIN", ':')]
    public void A_list_key_names_its_variable_and_separator_as_MLCFlow_reads_it(string key, string name, char separator) =>
        Assert.Equal((name, separator), EnvRules.ListKey(key, ':'));

    [Fact]
    public void A_space_separated_list_is_prepended_to_its_variable_with_spaces()
    {
        var env = EnvRules.ForProcess(new Dictionary<string, string> { ["+ CXXFLAGS"] = "-Werror -Wno-unused", ["+PATH"] = "/opt/bin" },
            new Dictionary<string, string> { ["CXXFLAGS"] = "-O2", ["PATH"] = "/usr/bin" }, ':');

        Assert.Equal("-Werror -Wno-unused -O2", env["CXXFLAGS"]);
        Assert.Equal("/opt/bin:/usr/bin", env["PATH"]);
        Assert.DoesNotContain(" CXXFLAGS", env.Keys);
    }
}
