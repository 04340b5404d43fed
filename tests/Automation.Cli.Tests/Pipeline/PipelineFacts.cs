using Xunit;

namespace Automation.Cli.Tests.Pipeline;

/// <summary>A fact that needs the real Fashion-MNIST data (installed, or installable because we are root).</summary>
public sealed class PipelineFactAttribute : FactAttribute
{
    public PipelineFactAttribute()
    {
        if (PipelineFixture.Unavailable is { } why) Skip = why;
    }
}

public sealed class PipelineTheoryAttribute : TheoryAttribute
{
    public PipelineTheoryAttribute()
    {
        if (PipelineFixture.Unavailable is { } why) Skip = why;
    }
}
