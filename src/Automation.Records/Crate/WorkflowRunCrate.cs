using Automation.Records.Records;
using Newtonsoft.Json.Linq;

namespace Automation.Records.Crate;

/// <summary>
/// The run record as a Workflow Run RO-Crate (RO-Crate 1.3, Workflow Run Crate profile 0.6, see docs/records.md):
/// the plan is the ComputationalWorkflow, the run and each step are CreateActions, scripts and tools are
/// SoftwareApplications with versions, outputs are Files with sha256, headline figures are PropertyValues.
/// </summary>
public static class WorkflowRunCrate
{
    public const string FileName = "ro-crate-metadata.json";
    public const string RoCrateSpec = "https://w3id.org/ro/crate/1.3";
    // The 0.6 profiles need the RO-Crate 1.3 context (new IRIs for ComputationalWorkflow, FormalParameter, input,
    // output) plus the Workflow Run terms context.
    public static readonly string[] Context = [RoCrateSpec + "/context", "https://w3id.org/ro/terms/workflow-run/context"];
    public static readonly string[] RootProfiles =
        ["https://w3id.org/ro/wfrun/process/0.6", "https://w3id.org/ro/wfrun/workflow/0.6", "https://w3id.org/workflowhub/workflow-ro-crate/1.1"];

    /// <param name="record">The run the crate is about (the folder's latest).</param>
    /// <param name="earlier">
    /// Earlier runs into the same folder, each kept in <c>cm-runs/&lt;id&gt;/cm-run-record.json</c>: each becomes a
    /// CreateAction of its own whose instrument is its record, so the crate still names every run that wrote there.
    /// </param>
    public static JObject Build(JObject record, IReadOnlyList<JObject>? earlier = null)
    {
        var graph = new CrateGraph();
        var id = (string)record["id"]!;
        var failed = (string?)record["status"] == "failed";
        var command = (JObject)record["command"]!;
        var what = string.Join(',', (command["tags"] as JArray ?? []).Select(t => (string?)t)) is { Length: > 0 } t ? t : (string?)command["name"] ?? "script";

        graph.Add(new JObject
        {
            ["@id"] = FileName, ["@type"] = "CreativeWork", ["about"] = Ref("./"),
            ["conformsTo"] = Ref(RoCrateSpec),
        });
        foreach (var (profile, name, version) in new[] { (RootProfiles[0], "Process Run Crate", "0.6"), (RootProfiles[1], "Workflow Run Crate", "0.6"), (RootProfiles[2], "Workflow RO-Crate", "1.1") })
            graph.Add(new JObject { ["@id"] = profile, ["@type"] = "CreativeWork", ["name"] = name, ["version"] = version });

        var outputs = (record["outputs"] as JArray ?? []).OfType<JObject>().ToList();
        var parts = new JArray(Ref(RunRecord.FileName));
        foreach (var file in outputs)
        {
            var path = (string)file["path"]!;
            parts.Add(Ref(path));
            graph.Add(new JObject
            {
                ["@id"] = path, ["@type"] = "File", ["name"] = Path.GetFileName(path),
                ["contentSize"] = file["bytes"]!.ToString(), ["sha256"] = file["sha256"], ["encodingFormat"] = MediaType(path),
            });
        }

        // The workflow: the resolved plan, kept in the run record file.
        var figures = Json.ToMap(record["figures"]).Where(kv => IsFigure(kv.Value)).ToList();
        var inputs = Json.ToMap(command["inputs"]).Select(kv => ("input." + kv.Key, kv.Value))
            .Concat(Json.ToMap(command["env_overrides"]).Select(kv => ("env." + kv.Key, kv.Value))).ToList();
        graph.Add(new JObject
        {
            ["@id"] = "#cm", ["@type"] = "ComputerLanguage", ["name"] = "CM automation scripts (Automation)",
            ["alternateName"] = "CM", ["url"] = Ref("https://github.com/mlcommons/ck"), ["version"] = (record["cm"] as JObject)?["version"],
        });
        var scripts = new Dictionary<string, JObject>(StringComparer.Ordinal);
        foreach (var node in ((record["plan"] as JObject)?["nodes"] as JArray ?? []).OfType<JObject>()) Script(graph, scripts, node, null);
        foreach (var step in (record["steps"] as JArray ?? []).OfType<JObject>()) Script(graph, scripts, null, step);
        graph.Add(new JObject
        {
            ["@id"] = RunRecord.FileName, ["@type"] = new JArray("File", "SoftwareSourceCode", "ComputationalWorkflow"),
            ["name"] = $"cm plan for '{what}'", ["description"] = "The resolved CM dependency plan (see the 'plan' member) and the record of its run.",
            ["programmingLanguage"] = Ref("#cm"), ["encodingFormat"] = "application/json",
            ["hasPart"] = new JArray(scripts.Keys.Select(Ref)),
            ["input"] = new JArray(inputs.Select(i => Ref("#param-" + i.Item1))),
            ["output"] = new JArray(figures.Select(f => Ref("#param-figure." + f.Key))),
        });
        foreach (var (name, _) in inputs) graph.Add(Parameter("#param-" + name, name, "Text"));
        foreach (var (key, _) in figures) graph.Add(Parameter("#param-figure." + key, key, "Text"));

        var objects = new JArray(inputs.Select(i => Ref("#pv-" + i.Item1)));
        foreach (var (name, value) in inputs) graph.Add(Value("#pv-" + name, name, value, "#param-" + name));
        var results = new JArray(outputs.Select(o => Ref((string)o["path"]!)));
        foreach (var (key, value) in figures) { results.Add(Ref("#figure-" + key)); graph.Add(Value("#figure-" + key, key, value, "#param-figure." + key)); }
        foreach (var fair in FairEntities(graph, record)) objects.Add(fair);

        var mentions = new JArray(Ref("#run-" + id));
        var run = new JObject
        {
            ["@id"] = "#run-" + id, ["@type"] = "CreateAction", ["name"] = $"cm run {what} ({id})",
            ["instrument"] = Ref(RunRecord.FileName), ["object"] = objects, ["result"] = results,
            ["startTime"] = record["started_utc"], ["endTime"] = record["finished_utc"],
            ["actionStatus"] = Ref(failed ? "http://schema.org/FailedActionStatus" : "http://schema.org/CompletedActionStatus"),
            ["location"] = Ref("#machine"),
        };
        if (failed) run["error"] = (record["error"] as JObject)?["message"];
        graph.Add(run);
        graph.Add(Machine(record));
        foreach (var other in (earlier ?? []).Where(o => (string?)o["id"] is { } otherId && otherId != id))
        {
            var otherId = (string)other["id"]!;
            var file = $"{RunRecord.RunsFolder}/{otherId}/{RunRecord.FileName}";
            var otherWhat = string.Join(',', (other["command"]?["tags"] as JArray ?? []).Select(t => (string?)t));
            parts.Add(Ref(file));
            graph.Add(new JObject
            {
                ["@id"] = file, ["@type"] = new JArray("File", "SoftwareSourceCode", "ComputationalWorkflow"),
                ["name"] = $"cm plan for '{otherWhat}' ({otherId})", ["programmingLanguage"] = Ref("#cm"), ["encodingFormat"] = "application/json",
            });
            var action = new JObject
            {
                ["@id"] = "#run-" + otherId, ["@type"] = "CreateAction", ["name"] = $"cm run {otherWhat} ({otherId}, an earlier run into this folder)",
                ["instrument"] = Ref(file), ["startTime"] = other["started_utc"], ["endTime"] = other["finished_utc"],
                ["actionStatus"] = Ref((string?)other["status"] == "failed" ? "http://schema.org/FailedActionStatus" : "http://schema.org/CompletedActionStatus"),
                ["location"] = Ref("#machine"),
            };
            if ((string?)other["status"] == "failed") action["error"] = (other["error"] as JObject)?["message"];
            graph.Add(action);
            mentions.Add(Ref("#run-" + otherId));
        }

        var index = 0;
        foreach (var step in (record["steps"] as JArray ?? []).OfType<JObject>())
        {
            var stepId = $"#step-{index++}-{step["script"]}";
            mentions.Add(Ref(stepId));
            graph.Add(new JObject
            {
                ["@id"] = stepId, ["@type"] = "CreateAction",
                ["name"] = $"{step["script"]}{string.Concat((step["variations"] as JArray ?? []).Select(v => ",_" + v))}{((bool?)step["from_cache"] == true ? " (from cache)" : "")}",
                ["instrument"] = Ref(ScriptId(step)), ["startTime"] = step["started_utc"], ["endTime"] = step["finished_utc"],
                ["actionStatus"] = Ref("http://schema.org/CompletedActionStatus"),
                ["object"] = new JArray(), ["result"] = new JArray(),
            });
        }

        graph.Add(new JObject
        {
            ["@id"] = "./", ["@type"] = "Dataset",
            ["name"] = $"cm run {what}", ["description"] = $"Results and provenance of `cm run script {what}` ({id}), status {record["status"]}.",
            ["datePublished"] = record["finished_utc"],
            ["conformsTo"] = new JArray(RootProfiles.Select(Ref)),
            ["mainEntity"] = Ref(RunRecord.FileName), ["hasPart"] = parts, ["mentions"] = mentions,
        });
        return new JObject { ["@context"] = new JArray(Context), ["@graph"] = graph.Entities };
    }

    public static JObject Ref(string id) => new() { ["@id"] = id };

    private static string ScriptId(JObject nodeOrStep) => $"#script-{nodeOrStep["script"]}-{nodeOrStep["uid"]}";

    /// <summary>One SoftwareApplication per script; a step adds its version and the tool it detected.</summary>
    private static void Script(CrateGraph graph, Dictionary<string, JObject> scripts, JObject? node, JObject? step)
    {
        var source = node ?? step!;
        var id = ScriptId(source);
        if (!scripts.TryGetValue(id, out var app))
        {
            app = new JObject { ["@id"] = id, ["@type"] = "SoftwareApplication", ["name"] = (string?)source["script"], ["identifier"] = (string?)source["uid"] };
            scripts[id] = app;
            graph.Add(app);
        }
        if (node?["meta_sha256"] is { } hash) app["sha256"] = hash;
        // A node's version covers steps served from the cache without running; a step's is what it ran with.
        if ((step ?? node)?["version"] is { Type: JTokenType.String } version) app["softwareVersion"] = version;
        if ((step?["evidence"] as JObject)?["chosen_path"] is { Type: JTokenType.String } path) app["description"] = $"detected at {path}";
    }

    private static IEnumerable<JObject> FairEntities(CrateGraph graph, JObject record)
    {
        foreach (var (kind, type) in new[] { ("datasets", "Dataset"), ("models", "SoftwareSourceCode") })
            foreach (var entry in (record[kind] as JArray ?? []).OfType<JObject>())
            {
                var id = (string?)entry["url"] ?? $"#{kind}-{entry["script"]}";
                var entity = new JObject { ["@id"] = id, ["@type"] = type, ["name"] = entry["name"] ?? entry["script"], ["description"] = entry["description"] };
                if ((string?)entry["url"] is { } url) entity["url"] = url;
                if ((string?)entry["license"] is { } license)
                {
                    entity["license"] = Ref(license);
                    graph.Add(new JObject { ["@id"] = license, ["@type"] = "CreativeWork", ["name"] = (string?)entry["license_name"] ?? license });
                }
                if ((string?)entry["creator"] is { } creator) entity["creator"] = creator;
                if (entry["version"] is { Type: JTokenType.String } v) entity["version"] = v;
                var parts = new JArray();
                var n = 0;
                foreach (var file in (entry["files"] as JArray ?? []).OfType<JObject>())
                    foreach (var part in file["parts"] is JArray p ? p.OfType<JObject>() : [file])
                    {
                        if (part["sha256"] is null) continue;
                        var partId = $"#{kind}-{entry["script"]}-file-{n++}";
                        parts.Add(Ref(partId));
                        graph.Add(new JObject
                        {
                            ["@id"] = partId, ["@type"] = "File", ["name"] = part["path"], ["sha256"] = part["sha256"],
                            ["contentSize"] = part["bytes"]?.ToString(), ["encodingFormat"] = MediaType((string?)part["path"] ?? ""),
                        });
                    }
                if (parts.Count > 0) entity["hasPart"] = parts;
                graph.Add(entity);
                yield return Ref(id);
            }
    }

    private static JObject Machine(JObject record)
    {
        var machine = record["machine"] as JObject ?? new JObject();
        var props = new JArray();
        foreach (var (k, v) in Json.ToMap(machine["host_env"])) props.Add(new JObject { ["@type"] = "PropertyValue", ["name"] = k, ["value"] = v });
        foreach (var key in new[] { "os_description", "architecture", "processor_count", "dotnet" })
            if (machine[key] is { } v) props.Add(new JObject { ["@type"] = "PropertyValue", ["name"] = key, ["value"] = v.ToString() });
        return new JObject { ["@id"] = "#machine", ["@type"] = "Place", ["name"] = "The machine the run ran on", ["additionalProperty"] = props };
    }

    private static JObject Parameter(string id, string name, string type) => new()
    {
        ["@id"] = id, ["@type"] = "FormalParameter", ["name"] = name, ["additionalType"] = type,
        ["conformsTo"] = Ref("https://bioschemas.org/profiles/FormalParameter/1.0-RELEASE"),
    };

    private static JObject Value(string id, string name, string value, string parameter) => new()
    {
        ["@id"] = id, ["@type"] = "PropertyValue", ["name"] = name, ["propertyID"] = name, ["value"] = value, ["exampleOfWork"] = Ref(parameter),
    };

    /// <summary>Headline figures are numbers and words, not the paths the run also exports.</summary>
    private static bool IsFigure(string value) => value.Length > 0 && !value.Contains('/') && !value.Contains('\\');

    private static string MediaType(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".json" => "application/json",
        ".txt" or ".conf" or ".log" => "text/plain",
        ".onnx" => "application/octet-stream",
        ".gz" => "application/gzip",
        ".html" => "text/html",
        ".csv" => "text/csv",
        _ => "application/octet-stream",
    };

    private sealed class CrateGraph
    {
        private readonly Dictionary<string, JObject> byId = new(StringComparer.Ordinal);
        public JArray Entities { get; } = [];

        /// <summary>Adds an entity; an @id seen before is merged into the first (JSON-LD wants one node per @id).</summary>
        public void Add(JObject entity)
        {
            var id = (string)entity["@id"]!;
            if (byId.TryGetValue(id, out var existing)) { existing.Merge(entity); return; }
            byId[id] = entity;
            Entities.Add(entity);
        }
    }
}
