using Automation.Core.Env;
using Xunit;

namespace Automation.Core.Tests.Env;

public sealed class EnvFileTests
{
    [Fact]
    public void Parse_reads_what_run_scripts_write()
    {
        var env = EnvFile.Parse("A=1\r\n# comment\n\n B =two words \nC=\"quoted\"\nnoequals\n=novalue\nD=x=y\nA=later\nE=\n");

        Assert.Equal(new Dictionary<string, string>
        {
            ["A"] = "later", ["B"] = "two words ", ["C"] = "quoted", ["D"] = "x=y", ["E"] = "",
        }, env);
    }

    [Fact]
    public void Format_round_trips_through_parse()
    {
        var env = new Dictionary<string, string> { ["Z"] = "last", ["A"] = "a b", ["M"] = "x=y", ["E"] = "", ["Q"] = "\"half" };

        var text = EnvFile.Format(env);

        Assert.Equal("A=a b\nE=\nM=x=y\nQ=\"half\nZ=last\n", text);
        Assert.Equal(env, EnvFile.Parse(text));
    }

    [Theory]
    [InlineData("K", "two\nlines")]
    [InlineData("K", "cr\r")]
    [InlineData("K", "\"quoted\"")]
    [InlineData("A=B", "x")]
    [InlineData(" K", "x")]
    [InlineData("#K", "x")]
    [InlineData("", "x")]
    public void Format_refuses_what_would_not_read_back_the_same(string key, string value) =>
        Assert.Throws<ArgumentException>(() => EnvFile.Format([KeyValuePair.Create(key, value)]));
}
