using Newtonsoft.Json.Linq;

namespace Automation.Dashboard.Runs;

/// <summary>A run's events in order (steps, log lines, status), numbered from 0, with a wait for the next one (server-sent events read it).</summary>
public sealed class RunEventLog
{
    private const int MaxEvents = 20000;
    private readonly List<JObject> events = [];
    private readonly Lock gate = new();
    private TaskCompletionSource changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int dropped;

    public bool Completed { get; private set; }

    public void Add(JObject e)
    {
        TaskCompletionSource wake;
        lock (gate)
        {
            if (events.Count >= MaxEvents && (string?)e["type"] == "log") { dropped++; return; }
            e["seq"] = events.Count;
            events.Add(e);
            wake = changed;
            changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        wake.TrySetResult();
    }

    public void Complete()
    {
        TaskCompletionSource wake;
        lock (gate)
        {
            Completed = true;
            wake = changed;
        }
        wake.TrySetResult();
    }

    public int Dropped { get { lock (gate) return dropped; } }

    /// <summary>Events from <paramref name="from"/> on, and a task that ends when more arrive or the run completes.</summary>
    public (IReadOnlyList<JObject> Events, Task More, bool Completed) ReadFrom(int from)
    {
        lock (gate)
        {
            var slice = from < events.Count ? events.GetRange(Math.Max(0, from), events.Count - Math.Max(0, from)) : [];
            return (slice, Completed ? Task.CompletedTask : changed.Task, Completed);
        }
    }

    public IReadOnlyList<JObject> Where(string type)
    {
        lock (gate) return events.Where(e => (string?)e["type"] == type).ToList();
    }
}
