namespace Automation.Mlperf.Sut;

/// <summary>Where a SUT reads a sample's input tensor from: a QSL that has loaded it into RAM.</summary>
public interface ISampleSource
{
    /// <summary>The shape of one sample, without the batch dimension (e.g. [1, 28, 28]).</summary>
    IReadOnlyList<int> SampleShape { get; }

    /// <summary>Elements in one sample.</summary>
    int SampleSize { get; }

    /// <summary>The float32 input of a loaded sample; safe to call from several threads while no load or unload runs.</summary>
    ReadOnlySpan<float> GetSample(int index);
}
