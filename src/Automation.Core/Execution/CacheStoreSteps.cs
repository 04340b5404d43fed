using Automation.Core.Caching;
using Automation.Core.Resolution;

namespace Automation.Core.Execution;

/// <summary>Serves plan nodes from the cache store: the node's key is the entry key, its deps' cached keys the entry's dep keys.</summary>
public sealed class CacheStoreSteps(CacheStore store) : IStepCache
{
    public CacheStore Store => store;

    public CachedStep? TryGet(PlanNode node)
    {
        var entry = store.TryGet(node.Key);
        return entry is null ? null : new CachedStep(ToOutcome(entry), entry.Path, WasBuilt: false);
    }

    public async Task<CachedStep> GetOrBuildAsync(PlanNode node, Func<string, CancellationToken, Task<StepOutcome>> build, CancellationToken cancellationToken)
    {
        var built = false;
        var entry = await store.GetOrBuildAsync(node.Key, async (dir, ct) =>
        {
            built = true;
            var outcome = await build(dir, ct);
            return new CacheEntryDraft
            {
                ScriptUid = node.Script.Uid,
                ScriptAlias = node.Script.Alias,
                Tags = node.Script.Tags.Concat(node.ExtraCacheTags).Concat(outcome.ExtraCacheTags).Distinct(StringComparer.Ordinal).ToList(),
                Variations = node.Variations,
                Version = outcome.Version,
                Env = outcome.NewEnv,
                State = outcome.NewState,
                Evidence = outcome.Evidence,
                DepKeys = outcome.DepKeys.Count > 0 ? outcome.DepKeys : CachedDepKeys(node).ToList(),
                ValidatePaths = outcome.PathsToValidate,
                KeyInputs = node.KeyInputs,
                Expiration = node.Script.CacheExpiration,
            };
        }, cancellationToken);
        return new CachedStep(ToOutcome(entry), entry.Path, built);
    }

    public IReadOnlyList<Newtonsoft.Json.Linq.JObject> Search(IReadOnlyList<string> tags) =>
        store.List(tags).Select(e => new Newtonsoft.Json.Linq.JObject
        {
            ["path"] = e.Path,
            ["uid"] = e.Key,
            ["meta"] = new Newtonsoft.Json.Linq.JObject
            {
                ["tags"] = new Newtonsoft.Json.Linq.JArray(e.Tags.Concat(e.Variations.Select(v => "_" + v))),
                ["alias"] = e.ScriptAlias,
                ["version"] = e.Version,
            },
            ["new_env"] = new Newtonsoft.Json.Linq.JObject(e.Env.Select(kv => new Newtonsoft.Json.Linq.JProperty(kv.Key, kv.Value))),
        }).ToList();

    /// <summary>The nearest cached entries below a node: a non-cached dep passes its own cached deps through.</summary>
    private static IEnumerable<string> CachedDepKeys(PlanNode node) =>
        node.Deps.SelectMany(e => e.Node.IsCached ? [e.Node.Key] : CachedDepKeys(e.Node)).Distinct(StringComparer.Ordinal);

    private static StepOutcome ToOutcome(CacheEntry entry) =>
        new(entry.Env, entry.State, entry.Version, entry.Evidence, entry.ValidatePaths);
}
