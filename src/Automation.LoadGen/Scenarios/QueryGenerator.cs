using Automation.LoadGen.Randomness;
using Automation.LoadGen.Settings;

namespace Automation.LoadGen.Scenarios;

/// <summary>
/// LoadGen's GenerateQueries, done lazily: the same random draws in the same order, but each query is produced when
/// it is about to be issued instead of being stored up front, so memory grows with the queries issued rather than
/// with the (typically twice as many) queries generated. <see cref="CountGenerated"/> replays the schedule alone to
/// report what LoadGen would have generated.
/// </summary>
internal sealed class QueryGenerator
{
    private readonly EffectiveSettings _settings;
    private readonly LoadableSet _set;
    private readonly bool _accuracy;
    private readonly Mt19937 _sampleRng;
    private readonly Mt19937 _scheduleRng;
    private readonly int[] _modeOrder;
    private readonly int[] _uniqueOrder;
    private readonly int[] _equalIssueOrder;
    private readonly bool _equalIssue;
    private readonly long _fixedPeriodNs;
    private readonly int _sameSample;
    private int _modeNext;
    private int _uniqueNext;
    private long _equalIssueNext;
    private GenerationLoop _loop;

    public QueryGenerator(EffectiveSettings settings, LoadableSet set, bool accuracy)
    {
        _settings = settings;
        _set = set;
        _accuracy = accuracy;
        _sampleRng = new Mt19937(settings.SampleIndexRngSeed);
        _scheduleRng = new Mt19937(settings.ScheduleRngSeed);
        _sameSample = (int)settings.PerformanceIssueSameIndex;
        _equalIssue = settings.SampleConcatenatePermutation;

        var loaded = set.Samples.Length;
        SamplesPerQuery = accuracy && settings.Scenario == TestScenario.Offline ? set.DistributionEnd : (long)settings.SamplesPerQuery;
        var genDurationNs = (settings.Scenario == TestScenario.Server ? 1 : 2) * (long)settings.TargetDurationMs * 1_000_000;
        var minQueries = (long)settings.MinQueryCount;
        if (accuracy || settings.PerformanceIssueUnique)
        {
            genDurationNs = 0;
            minQueries = loaded / SamplesPerQuery;
        }

        // The distributions are built in LoadGen's order, each drawing from the sample RNG as it is built.
        var stride = settings.Scenario == TestScenario.MultiStream ? (int)SamplesPerQuery : 1;
        _modeOrder = accuracy ? StridedShuffle(set.DistributionEnd, stride) : [];
        _uniqueOrder = StridedShuffle(set.DistributionEnd, stride);
        _equalIssueOrder = EqualIssueOrder(minQueries, loaded);

        if (!accuracy && _equalIssue)
        {
            if (settings.Scenario == TestScenario.Offline && SamplesPerQuery % loaded != 0)
            {
                SamplesPerQuery += loaded - SamplesPerQuery % loaded;
            }
            else if (settings.Scenario != TestScenario.Offline && minQueries % loaded != 0)
            {
                minQueries += loaded - minQueries % loaded;
            }
        }

        _fixedPeriodNs = StdDistributions.SecondsToNanoseconds(1.0 / settings.TargetQps);
        _loop = new GenerationLoop(genDurationNs, minQueries, _equalIssue && settings.Scenario != TestScenario.Offline, loaded);
    }

    public long SamplesPerQuery { get; }

    public bool HasNext => _loop.Continue;

    /// <summary>How many queries LoadGen would generate and the schedule's end (generated_query_duration), without drawing samples.</summary>
    public (long Queries, long DurationNs) CountGenerated()
    {
        var replay = new Mt19937(_settings.ScheduleRngSeed);
        var loop = _loop;
        while (loop.Continue) loop.Emit(NextDelta(replay));
        return (loop.Count, loop.TimestampNs);
    }

    /// <summary>Draws the next SingleStream/MultiStream/Server query into <paramref name="samples"/>; returns its scheduled offset.</summary>
    public long Next(Span<int> samples)
    {
        var loaded = _set.Samples;
        if (_settings.Scenario == TestScenario.MultiStream)
        {
            var start = _settings.PerformanceIssueUnique ? _uniqueOrder[_uniqueNext++]
                : _settings.PerformanceIssueSame ? _sameSample
                : ModeDraw();
            for (var j = 0; j < samples.Length; j++) samples[j] = loaded[start + j];
        }
        else
        {
            for (var j = 0; j < samples.Length; j++)
            {
                samples[j] = loaded[_settings.PerformanceIssueUnique ? _uniqueOrder[_uniqueNext++]
                    : _settings.PerformanceIssueSame ? _sameSample
                    : _equalIssue ? _equalIssueOrder[_equalIssueNext++ % _equalIssueOrder.Length]
                    : ModeDraw()];
            }
        }
        return _loop.Emit(NextDelta(_scheduleRng));
    }

    /// <summary>
    /// The Offline query: the loaded set repeated in order, then a remainder; or one repeated sample; or, in
    /// equal-issue mode, each repetition shuffled. Returns null when the sample at position i is simply
    /// loaded[i % loaded.Length], so the caller need not materialise millions of indices.
    /// </summary>
    public int[]? NextOffline(out long scheduledNs)
    {
        var loaded = _set.Samples;
        int[]? samples = null;
        if (_settings.PerformanceIssueSame)
        {
            samples = new int[SamplesPerQuery];
            Array.Fill(samples, loaded[_sameSample]);
        }
        else if (_settings.SampleConcatenatePermutation)
        {
            samples = new int[SamplesPerQuery];
            var repeats = SamplesPerQuery / loaded.Length;
            for (var i = 0; i < repeats; i++)
            {
                var chunk = samples.AsSpan((int)(i * loaded.Length), loaded.Length);
                loaded.CopyTo(chunk);
                StdDistributions.Shuffle(chunk, _sampleRng);
            }
            loaded.AsSpan(0, (int)(SamplesPerQuery % loaded.Length)).CopyTo(samples.AsSpan((int)(repeats * loaded.Length)));
        }
        scheduledNs = _loop.Emit(NextDelta(_scheduleRng));
        return samples;
    }

    private int ModeDraw() => _accuracy
        ? _modeOrder[_modeNext++]
        : StdDistributions.UniformInt(_sampleRng, 0, _set.DistributionEnd - 1);

    private long NextDelta(Mt19937 rng) => _settings.Scenario == TestScenario.Server
        ? StdDistributions.SecondsToNanoseconds(StdDistributions.Exponential(rng, _settings.TargetQps))
        : _fixedPeriodNs;

    private int[] StridedShuffle(int count, int stride)
    {
        var order = new int[(count + stride - 1) / stride];
        for (var i = 0; i < order.Length; i++) order[i] = i * stride;
        StdDistributions.Shuffle(order.AsSpan(), _sampleRng);
        return order;
    }

    private int[] EqualIssueOrder(long sampleCount, int setSize)
    {
        if (setSize == 0) return [];
        var permutation = new int[setSize];
        for (var i = 0; i < setSize; i++) permutation[i] = i;
        var passes = (int)((sampleCount + setSize - 1) / setSize);
        var order = new int[passes * setSize];
        for (var p = 0; p < passes; p++)
        {
            // Each pass shuffles the previous pass's permutation again, as LoadGen does.
            StdDistributions.Shuffle(permutation.AsSpan(), _sampleRng);
            permutation.CopyTo(order, p * setSize);
        }
        return order;
    }

    /// <summary>LoadGen's generation loop condition, including equal-issue's growing minimum.</summary>
    private struct GenerationLoop(long genDurationNs, long minQueries, bool equalIssueBump, long setSize)
    {
        private long _previous;
        private long _minQueries = minQueries;

        public long Count { get; private set; }
        public long TimestampNs { get; private set; }

        public readonly bool Continue => _previous < genDurationNs || Count < _minQueries;

        public long Emit(long deltaNs)
        {
            var scheduled = TimestampNs;
            Count++;
            _previous = scheduled;
            TimestampNs = scheduled + deltaNs;
            if (equalIssueBump && Count >= _minQueries && _previous < genDurationNs) _minQueries += setSize;
            return scheduled;
        }
    }
}
