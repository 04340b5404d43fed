using Automation.LoadGen.Randomness;

namespace Automation.LoadGen.Scenarios;

/// <summary>
/// LoadGen's SequenceGen, shared by every pass of one test: sample sequence ids (the accuracy log's seq_id) run on
/// across passes, counting generated samples whether or not they were issued, and each generated sample draws one
/// accuracy-log value from a default-seeded mt19937 (LoadGen never seeds it).
/// </summary>
internal sealed class SequenceState
{
    private readonly Mt19937 _accuracyLogRng = new();
    private long _accuracyLogDrawn;

    public long NextSampleId { get; private set; }

    public void Advance(long generatedSamples) => NextSampleId += generatedSamples;

    /// <summary>The accuracy-log value of sample <paramref name="sequenceId"/>; ids must be asked for in increasing order.</summary>
    public double AccuracyLogValue(long sequenceId)
    {
        while (_accuracyLogDrawn < sequenceId)
        {
            StdDistributions.GenerateCanonical(_accuracyLogRng);
            _accuracyLogDrawn++;
        }
        _accuracyLogDrawn++;
        return StdDistributions.GenerateCanonical(_accuracyLogRng);
    }
}
