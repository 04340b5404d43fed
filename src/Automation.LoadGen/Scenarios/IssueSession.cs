using Automation.LoadGen.Logging;
using Automation.LoadGen.Settings;
using Automation.LoadGen.Timing;

namespace Automation.LoadGen.Scenarios;

/// <summary>
/// One pass of LoadGen's IssueQueries over one loaded set: generates queries, issues them with the scenario's
/// pattern, and records every sample's latency. It is also the completer the SUT reports to.
/// Per issued sample it keeps one long (the latency; for Server it holds the scheduled time until completion).
/// </summary>
internal sealed class IssueSession : IQueryCompleter
{
    private readonly ISystemUnderTest _sut;
    private readonly EffectiveSettings _settings;
    private readonly LoadableSet _set;
    private readonly bool _accuracy;
    private readonly ILoadGenClock _clock;
    private readonly DetailLog _detail;
    private readonly AccuracyLog _accuracyLog;
    private readonly SequenceState _sequence;
    private readonly long _firstSequence;
    private readonly ChunkedArray<long> _latencies = new();
    private readonly ChunkedArray<int>? _qslIndices;
    private readonly Dictionary<long, int>? _sampledForLog;
    private readonly double _accuracyLogOffset;
    private double _accuracyLogProbability;
    private readonly ManualResetEventSlim _progress = new(false);
    private readonly TimeProvider _wallClock;

    private long _issuedSamples;
    private long _completedSamples;
    private long _waitTarget = long.MaxValue;
    private long _closedLoopScheduled;
    private long _maxCompletion = long.MinValue;
    private long _invalidResponses;

    public IssueSession(ISystemUnderTest sut, EffectiveSettings settings, LoadableSet set, bool accuracy, ILoadGenClock clock,
        DetailLog detail, AccuracyLog accuracyLog, SequenceState sequence, TimeProvider wallClock)
    {
        _wallClock = wallClock;
        _sut = sut;
        _settings = settings;
        _set = set;
        _accuracy = accuracy;
        _clock = clock;
        _detail = detail;
        _accuracyLog = accuracyLog;
        _sequence = sequence;
        _firstSequence = sequence.NextSampleId;
        _accuracyLogOffset = Randomness.StdDistributions.UniformReal(new Randomness.Mt19937(settings.AccuracyLogRngSeed), 0, 1);
        _accuracyLogProbability = settings.AccuracyLogProbability;
        if (accuracy) _qslIndices = new ChunkedArray<int>();
        else _sampledForLog = [];
    }

    public SessionRecord Run()
    {
        var generator = new QueryGenerator(_settings, _set, _accuracy);
        var spq = generator.SamplesPerQuery;
        var (generatedQueries, generatedDuration) = generator.CountGenerated();
        _detail.Log("generated_query_count", generatedQueries);
        _detail.Log("generated_samples_per_query", spq);
        _detail.Log("generated_query_duration", generatedDuration);
        SetAccuracyLogProbability();

        var startWall = _wallClock.GetUtcNow();
        var start = _clock.NowNs();
        var final = _settings.Scenario switch
        {
            TestScenario.Offline => IssueOffline(generator, start),
            TestScenario.Server => IssueServer(generator, start),
            _ => IssueClosedLoop(generator, start, (int)spq),
        };
        _sut.FlushQueries();
        WaitForCompleted(_issuedSamples);
        _sequence.Advance(generatedQueries * spq);

        if (_invalidResponses != 0)
        {
            _detail.LogError("error_runtime", $"Received {_invalidResponses} completions for unknown or old sample ids.");
        }
        if (!_accuracy && final.RanOutOfQueries)
        {
            _detail.LogError("error_runtime",
                "Ending early: Ran out of generated queries to issue before the minimum query count and test duration were reached. "
                + "Please update the relevant expected latency or target qps in the TestSettings so they are more accurate.");
        }
        return BuildRecord(final, start, startWall, spq);
    }

    public void QuerySamplesComplete(ReadOnlySpan<QuerySampleResponse> responses)
    {
        var now = _clock.NowNs();
        var issued = Volatile.Read(ref _issuedSamples);
        var chunks = _latencies.Snapshot;
        var accepted = 0;
        if (_settings.Scenario == TestScenario.Server)
        {
            // The slot holds the scheduled time until the sample completes.
            foreach (ref readonly var response in responses)
            {
                var index = (long)response.Id - 1 - _firstSequence;
                if ((ulong)index >= (ulong)issued) continue;
                ref var slot = ref ChunkedArray<long>.Slot(chunks, index);
                slot = now - slot;
                accepted++;
            }
        }
        else
        {
            var latency = now - Volatile.Read(ref _closedLoopScheduled);
            foreach (ref readonly var response in responses)
            {
                var index = (long)response.Id - 1 - _firstSequence;
                if ((ulong)index >= (ulong)issued) continue;
                ChunkedArray<long>.Slot(chunks, index) = latency;
                accepted++;
            }
        }
        if (_accuracy || _sampledForLog!.Count != 0) LogResponses(responses, issued);
        if (accepted != responses.Length) Interlocked.Add(ref _invalidResponses, responses.Length - accepted);
        UpdateMaxCompletion(now);
        var completed = Interlocked.Add(ref _completedSamples, accepted);
        if (completed >= Interlocked.Read(ref _waitTarget)) _progress.Set();
    }

    private void LogResponses(ReadOnlySpan<QuerySampleResponse> responses, long issued)
    {
        foreach (ref readonly var response in responses)
        {
            var index = (long)response.Id - 1 - _firstSequence;
            if ((ulong)index >= (ulong)issued) continue;
            if (_accuracy) _accuracyLog.Record(_firstSequence + index, _qslIndices![index], response.Data.Span);
            else RecordSampled(index, response.Data.Span);
        }
    }

    private FinalQuery IssueClosedLoop(QueryGenerator generator, long start, int spq)
    {
        var query = new BufferSampleList(spq);
        long queries = 0, scheduledOffset = 0, issuedAt = 0;
        while (generator.HasNext)
        {
            WaitForCompleted(_issuedSamples);
            scheduledOffset = generator.Next(query.Indices);
            issuedAt = _clock.NowNs();
            Volatile.Write(ref _closedLoopScheduled, issuedAt);
            query.FirstSequence = _firstSequence + _issuedSamples;
            Publish(query.Indices);
            _sut.IssueQuery(query, this);
            queries++;
            if (_accuracy) continue;
            if (StopChecks(queries, issuedAt - start) is { } ranOut)
            {
                return new FinalQuery(ranOut, queries, scheduledOffset, issuedAt, issuedAt);
            }
        }
        return new FinalQuery(!_accuracy, queries, scheduledOffset, issuedAt, issuedAt);
    }

    private FinalQuery IssueServer(QueryGenerator generator, long start)
    {
        Span<int> sample = stackalloc int[1];
        long queries = 0, scheduledOffset = 0, scheduled = 0, issuedAt = 0;
        while (generator.HasNext)
        {
            scheduledOffset = generator.Next(sample);
            scheduled = start + scheduledOffset;
            issuedAt = _clock.NowNs();
            if (issuedAt < scheduled)
            {
                _clock.WaitUntil(scheduled);
                issuedAt = _clock.NowNs();
            }
            var index = _issuedSamples;
            _latencies.EnsureCapacity(index + 1);
            _latencies[index] = scheduled;
            Publish(sample);
            _sut.IssueQuery(new SingleSampleList(new QuerySample((ulong)(_firstSequence + index + 1), sample[0])), this);
            queries++;
            if (_accuracy) continue;
            if (TooManyOutstanding(queries) || StopChecks(queries, issuedAt - start) is not null) break;
        }
        return new FinalQuery(false, queries, scheduledOffset, issuedAt, scheduled);
    }

    private bool TooManyOutstanding(long queries)
    {
        if (_settings.MaxAsyncQueries == 0) return false;
        var outstanding = queries - Interlocked.Read(ref _completedSamples);
        if (outstanding <= (long)_settings.MaxAsyncQueries) return false;
        _detail.LogError("error_runtime", $"IssueQueryThread 0 Ending early: Too many outstanding queries. issued {queries} outstanding {outstanding}");
        return true;
    }

    private FinalQuery IssueOffline(QueryGenerator generator, long start)
    {
        var explicitIndices = generator.NextOffline(out var scheduledOffset);
        var count = (int)generator.SamplesPerQuery;
        _latencies.EnsureCapacity(count);
        if (_qslIndices is not null || _sampledForLog is not null)
        {
            var query = new OfflineSampleList(_firstSequence, count, explicitIndices, _set.Samples);
            RecordIndices(query, count);
        }
        Volatile.Write(ref _closedLoopScheduled, start);
        var now = _clock.NowNs();
        Volatile.Write(ref _issuedSamples, count);
        _sut.IssueQuery(new OfflineSampleList(_firstSequence, count, explicitIndices, _set.Samples), this);
        return new FinalQuery(false, 1, scheduledOffset, now, start);
    }

    /// <summary>Makes the next samples' slots exist and counts them as issued before the SUT can complete them.</summary>
    private void Publish(ReadOnlySpan<int> qslIndices)
    {
        var first = _issuedSamples;
        var end = first + qslIndices.Length;
        _latencies.EnsureCapacity(end);
        if (_qslIndices is not null)
        {
            _qslIndices.EnsureCapacity(end);
            for (var i = 0; i < qslIndices.Length; i++) _qslIndices[first + i] = qslIndices[i];
        }
        else if (_accuracyLogProbability > 0)
        {
            for (var i = 0; i < qslIndices.Length; i++) SampleForLog(first + i, qslIndices[i]);
        }
        Volatile.Write(ref _issuedSamples, end);
    }

    private void RecordIndices(OfflineSampleList query, int count)
    {
        if (_qslIndices is not null)
        {
            _qslIndices.EnsureCapacity(count);
            for (var i = 0; i < count; i++) _qslIndices[i] = query[i].Index;
        }
        else if (_accuracyLogProbability > 0)
        {
            for (var i = 0; i < count; i++) SampleForLog(i, query[i].Index);
        }
    }

    private void SampleForLog(long index, int qslIndex)
    {
        var value = _sequence.AccuracyLogValue(_firstSequence + index) + _accuracyLogOffset;
        if (value >= 1.0) value -= 1.0;
        if (value <= _accuracyLogProbability)
        {
            lock (_sampledForLog!) _sampledForLog[index] = qslIndex;
        }
    }

    private void RecordSampled(long index, ReadOnlySpan<byte> data)
    {
        int qslIndex;
        lock (_sampledForLog!)
        {
            if (!_sampledForLog.Remove(index, out qslIndex)) return;
        }
        _accuracyLog.Record(_firstSequence + index, qslIndex, data);
    }

    /// <summary>
    /// LoadGen's end conditions after each issued query, in its order. Returns null to go on, otherwise whether the
    /// pass ran out of generated queries (always false here: every stop below is deliberate).
    /// </summary>
    private bool? StopChecks(long queries, long elapsedNs)
    {
        if (_settings.Scenario != TestScenario.Server
            && queries >= (long)_settings.MinQueryCount
            && elapsedNs >= (long)_settings.TargetDurationMs * 1_000_000)
        {
            _detail.Log("generic_message", "Ending naturally: Minimum query count and test duration met.");
            return false;
        }
        if (_settings.MaxQueryCount != 0 && queries >= (long)_settings.MaxQueryCount)
        {
            _detail.LogError("error_runtime", $"IssueQueryThread 0 Ending early: Max query count reached. query_count {queries}");
            return false;
        }
        if (_settings.MaxDurationMs != 0 && elapsedNs > (long)_settings.MaxDurationMs * 1_000_000)
        {
            _detail.LogError("error_runtime", $"IssueQueryThread 0 Ending early: Max test duration reached. duration_ns {elapsedNs}");
            return false;
        }
        return null;
    }

    /// <summary>Blocks until <paramref name="target"/> samples have completed: spins briefly, then waits on an event.</summary>
    private void WaitForCompleted(long target)
    {
        if (Volatile.Read(ref _completedSamples) >= target) return;
        var spinner = new SpinWait();
        while (Volatile.Read(ref _completedSamples) < target)
        {
            if (spinner.Count < 50)
            {
                spinner.SpinOnce(sleep1Threshold: -1);
                continue;
            }
            Interlocked.Exchange(ref _waitTarget, target);
            _progress.Reset();
            if (Interlocked.Read(ref _completedSamples) >= target) break;
            _progress.Wait();
        }
        Interlocked.Exchange(ref _waitTarget, long.MaxValue);
    }

    private void UpdateMaxCompletion(long now)
    {
        var current = Interlocked.Read(ref _maxCompletion);
        while (now > current)
        {
            var seen = Interlocked.CompareExchange(ref _maxCompletion, now, current);
            if (seen == current) return;
            current = seen;
        }
    }

    /// <summary>LoadGen turns accuracy_log_sampling_target into a probability from the expected sample count.</summary>
    private void SetAccuracyLogProbability()
    {
        if (_accuracy || _settings.AccuracyLogSamplingTarget == 0) return;
        var expected = (ulong)(_settings.TargetQps * _settings.MinDurationMs / 1000);
        var minimum = _settings.MinQueryCount * _settings.SamplesPerQuery;
        if (_settings.Scenario != TestScenario.Offline) expected *= _settings.SamplesPerQuery;
        else minimum = _settings.MinSampleCount;
        expected = Math.Max(expected, minimum);
        _accuracyLogProbability = (double)_settings.AccuracyLogSamplingTarget / expected;
    }

    private SessionRecord BuildRecord(FinalQuery final, long start, DateTimeOffset startWall, long spq)
    {
        var samples = _issuedSamples;
        var latencies = _latencies.Drain(samples);
        var maxLatency = samples == 0 ? 0 : latencies.Max();
        long[] queryLatencies = [];
        var finalDone = 0L;
        if (final.Queries > 0)
        {
            var perQuery = _settings.Scenario == TestScenario.Offline ? samples : spq;
            var firstOfFinal = samples - perQuery;
            var finalLatency = 0L;
            for (var i = firstOfFinal; i < samples; i++) finalLatency = Math.Max(finalLatency, latencies[i]);
            finalDone = final.Scheduled + finalLatency - start;
        }
        if (_settings.Scenario == TestScenario.MultiStream)
        {
            queryLatencies = new long[final.Queries];
            for (long q = 0; q < final.Queries; q++)
            {
                var max = 0L;
                for (var i = q * spq; i < (q + 1) * spq; i++) max = Math.Max(max, latencies[i]);
                queryLatencies[q] = max;
            }
        }
        return new SessionRecord(latencies, queryLatencies, final.Queries, maxLatency, final.ScheduledOffsetNs,
            final.IssuedNs - start, finalDone, start, _maxCompletion, startWall);
    }

    private sealed record FinalQuery(bool RanOutOfQueries, long Queries = 0, long ScheduledOffsetNs = 0, long IssuedNs = 0, long Scheduled = 0);
}
