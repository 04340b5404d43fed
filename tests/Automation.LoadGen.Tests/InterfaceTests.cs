using Automation.LoadGen;
using Xunit;

namespace Automation.LoadGen.Tests;

public sealed class InterfaceTests
{
    [Fact]
    public void QuerySampleCarriesIdAndIndex()
    {
        var s = new QuerySample(7, 3);
        Assert.Equal(7UL, s.Id);
        Assert.Equal(3, s.Index);
    }
}
