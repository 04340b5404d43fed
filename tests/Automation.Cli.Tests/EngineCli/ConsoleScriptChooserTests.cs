using Automation.Cli.Hosting;
using Automation.Core.Meta;
using Xunit;

namespace Automation.Cli.Tests.EngineCli;

/// <summary>CM's question on a terminal when several scripts match: a numbered list, Enter takes the first.</summary>
public sealed class ConsoleScriptChooserTests
{
    private static readonly IReadOnlyList<ScriptMeta> Candidates =
    [
        MetaReader.Parse("""{"alias":"get-llvm","uid":"1","tags":["get","compiler"]}""", "/lib/script/get-llvm/meta.yaml", "/lib/script/get-llvm") with { Repo = "mlcommons@mlperf-automations" },
        MetaReader.Parse("""{"alias":"get-gcc","uid":"2","tags":["get","compiler"]}""", "/lib/script/get-gcc/meta.yaml", "/lib/script/get-gcc") with { Repo = "mlcommons@mlperf-automations" },
    ];

    private static (int Choice, string Shown) Ask(string typed)
    {
        var output = new StringWriter();
        var choice = new ConsoleScriptChooser(new StringReader(typed), output).Choose("get,compiler", Candidates);
        return (choice, output.ToString());
    }

    [Fact]
    public void Lists_the_candidates_and_takes_the_number_typed()
    {
        var (choice, shown) = Ask("1\n");
        Assert.Equal(1, choice);
        Assert.Contains("0) get-llvm [mlcommons@mlperf-automations] /lib/script/get-llvm", shown);
        Assert.Contains("1) get-gcc", shown);
    }

    [Fact]
    public void Enter_takes_the_first_and_a_wrong_answer_is_asked_again()
    {
        Assert.Equal(0, Ask("\n").Choice);
        var (choice, shown) = Ask("7\nx\n1\n");
        Assert.Equal(1, choice);
        Assert.Contains("'7' is not one of 0-1", shown);
    }

    [Fact]
    public void Three_wrong_answers_choose_nothing()
    {
        Assert.Equal(-1, Ask("9\n9\n9\n").Choice);
    }
}
