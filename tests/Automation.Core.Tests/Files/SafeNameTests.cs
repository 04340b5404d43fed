using Automation.Core.Files;
using Xunit;

namespace Automation.Core.Tests.Files;

public sealed class SafeNameTests
{
    [Theory]
    [InlineData("get-python3", "get-python3")]
    [InlineData("app_mlperf.v4+x", "app_mlperf.v4+x")]
    [InlineData("../../../etc", ".._.._.._etc")]
    [InlineData("..", "__")]
    [InlineData(".", "_")]
    [InlineData("", "_")]
    [InlineData("a/b\\c", "a_b_c")]
    [InlineData("line\nbreak", "line_break")]
    [InlineData("C:evil", "C_evil")]
    public void An_alias_becomes_one_segment_that_stays_in_its_folder(string alias, string expected)
    {
        var segment = SafeName.Segment(alias);

        Assert.Equal(expected, segment);
        Assert.Equal(Path.Combine("/root", segment), Path.GetFullPath(Path.Combine("/root", segment)));
    }
}
