using Automation.Core.Catalog;
using Automation.Core.Errors;
using Automation.Core.Meta;
using Automation.Core.Resolution;
using Automation.Core.World;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Newtonsoft.Json.Linq;

namespace Automation.Dashboard.Api;

/// <summary>/api/scripts: search by tags, one script's meta, variations, inputs and dependency tree.</summary>
public sealed class ScriptsApi(DashboardOptions options)
{
    /// <summary>Loaded per request: scripts are few, and edits to metas show up without a restart.</summary>
    public ScriptCatalog Catalog() => ScriptCatalog.Load(PhysicalFileSystem.Instance, options.Workspace.ScriptRoots);

    public void Map(WebApplication app)
    {
        app.MapGet("/api/scripts", (RequestDelegate)List);
        app.MapGet("/api/scripts/{alias}", (RequestDelegate)Show);
    }

    private Task List(HttpContext ctx)
    {
        var query = TagQuery.FromTags(TagQuery.Split(ctx.Request.Query["tags"].ToString()).ToList());
        var found = Catalog().Find(query).OrderBy(s => s.Alias, StringComparer.Ordinal);
        return Json.Write(ctx, new JArray(found.Select(s => new JObject
        {
            ["alias"] = s.Alias, ["uid"] = s.Uid, ["tags"] = new JArray(s.Tags), ["category"] = s.Category, ["cache"] = s.Cache, ["repo"] = s.Repo,
            ["variations"] = s.Variations.Count, ["inputs"] = s.InputMapping.Count,
            ["variation_names"] = new JArray(s.Variations.Values.Where(v => !v.IsCombined).Select(v => v.Key).Order(StringComparer.Ordinal).Take(40)),
            ["input_names"] = new JArray(s.InputMapping.Keys.Order(StringComparer.Ordinal).Take(40)),
        })));
    }

    private Task Show(HttpContext ctx)
    {
        var catalog = Catalog();
        var alias = (string?)ctx.Request.RouteValues["alias"] ?? "";
        if (catalog.FindByAliasOrUid(alias) is not { } s) return Json.Error(ctx, 404, $"no script is called '{alias}'");
        var variations = TagQuery.Split(ctx.Request.Query["variations"].ToString()).Select(v => "_" + v.TrimStart('_')).ToList();
        var result = new JObject
        {
            ["alias"] = s.Alias, ["uid"] = s.Uid, ["tags"] = new JArray(s.Tags), ["category"] = s.Category, ["cache"] = s.Cache,
            ["meta_file"] = SafeRelative(s.MetaFile), ["builtin"] = s.Builtin, ["repo"] = s.Repo,
            ["variations"] = new JArray(s.Variations.Values.Where(v => !v.IsCombined).OrderBy(v => v.Group ?? "", StringComparer.Ordinal).ThenBy(v => v.Key, StringComparer.Ordinal).Select(v => new JObject
            {
                ["name"] = v.Key, ["group"] = v.Group, ["default"] = v.IsDefault, ["alias"] = v.Alias, ["wildcard"] = v.IsWildcard,
                ["env"] = Json.Map(v.Env),
            })),
            ["inputs"] = new JArray(s.InputMapping.Select(kv => new JObject
            {
                ["name"] = kv.Key, ["env"] = kv.Value, ["desc"] = s.InputDescription?[kv.Key]?["desc"]?.ToString(),
                ["default"] = s.DefaultEnv.GetValueOrDefault(kv.Value) ?? s.Env.GetValueOrDefault(kv.Value),
                // Empty: the dashboard gives the run a folder of its own; else an existing folder the dashboard may write to.
                ["results_dir"] = kv.Key == Runs.RunSpecValidator.ResultsDirInput,
            })),
            ["default_env"] = Json.Map(s.DefaultEnv),
            ["env"] = Json.Map(s.Env),
            ["new_env_keys"] = new JArray(s.NewEnvKeys),
            ["meta"] = s.Raw,
        };
        try
        {
            var plan = new Resolver(catalog).Resolve(new RunRequest { Name = s.Alias, Tags = variations });
            result["tree"] = Tree(plan.Root, null, []);
            result["plan_size"] = plan.Nodes.Count;
        }
        catch (AutomationException e)
        {
            result["tree_error"] = e.Message;
        }
        return Json.Write(ctx, result);
    }

    private static JObject Tree(PlanNode node, string? phase, HashSet<string> shown)
    {
        var o = new JObject { ["script"] = node.Script.Alias, ["variations"] = new JArray(node.Variations), ["cached"] = node.IsCached, ["phase"] = phase };
        if (node.Version is { IsEmpty: false } v) o["version"] = v.ToString();
        if (!shown.Add(node.Id)) { o["shared"] = true; return o; }
        o["deps"] = new JArray(node.Deps.Select(d => Tree(d.Node, d.Phase.ToString().ToLowerInvariant(), shown)));
        return o;
    }

    private string SafeRelative(string path) => Security.SafePaths.IsInside(options.Workspace.Root, path) ? Security.SafePaths.Relative(options.Workspace.Root, path) : path;
}
