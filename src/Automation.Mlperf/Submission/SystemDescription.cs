using System.Globalization;
using System.Runtime.InteropServices;
using Newtonsoft.Json.Linq;

namespace Automation.Mlperf.Submission;

/// <summary>
/// systems/&lt;system&gt;.json: the fields MLPerf v6.1 requires, filled from what detect-os and detect-cpu found
/// (CM_HOST_OS_*, CM_HOST_CPU_*, CM_HOST_MEMORY_*) and from the run's framework. What cannot be detected on a
/// CPU-only host's accelerators is "N/A"; what no detector can know (storage type, memory configuration,
/// networking, cooling...) is <see cref="ToFill"/>, named by the generator; a submitter overrides any field with
/// <c>--sut_description=FILE.json</c> (or its older name <c>--system_description</c>).
/// </summary>
public static class SystemDescription
{
    /// <summary>Every field the checker requires (SYSTEM_DESC_REQUIRED_FIELDS).</summary>
    public static readonly string[] RequiredFields =
    [
        "division", "submitter", "status", "system_name", "number_of_nodes", "host_processor_model_name",
        "host_processors_per_node", "host_processor_core_count", "host_memory_capacity", "host_storage_capacity",
        "host_storage_type", "accelerators_per_node", "accelerator_model_name", "accelerator_memory_capacity",
        "framework", "operating_system", "system_type", "other_software_stack", "host_processor_frequency",
        "host_processor_caches", "host_memory_configuration", "host_processor_interconnect", "host_networking",
        "host_networking_topology", "accelerator_frequency", "accelerator_host_interconnect", "accelerator_interconnect",
        "accelerator_interconnect_topology", "accelerator_memory_configuration", "accelerator_on-chip_memories",
        "cooling", "hw_notes", "sw_notes", "host_network_card_count", "system_type_detail",
    ];

    /// <summary>Fields that must not be empty (SYSTEM_DESC_MEANINGFUL_RESPONSE_REQUIRED_FIELDS).</summary>
    public static readonly string[] MeaningfulFields =
    [
        "division", "submitter", "system_type", "status", "system_name", "number_of_nodes", "host_processor_model_name",
        "host_processors_per_node", "host_processor_core_count", "host_memory_capacity", "host_memory_configuration",
        "host_storage_capacity", "host_storage_type", "host_networking", "host_network_card_count",
        "host_networking_topology", "accelerators_per_node", "accelerator_model_name", "accelerator_memory_capacity",
        "accelerator_host_interconnect", "accelerator_memory_configuration", "accelerator_interconnect", "cooling",
        "framework", "operating_system", "other_software_stack",
    ];

    private const string NotApplicable = "N/A";

    /// <summary>
    /// The value of a field a submitter must state because no detector can know it (storage type, memory
    /// configuration, networking, cooling...): non-empty so the tree still checks, and named by the generator.
    /// </summary>
    public const string ToFill = "not detected: fill in with --sut_description";

    /// <summary>The fields of a description still holding <see cref="ToFill"/>, for the generator to name.</summary>
    public static IReadOnlyList<string> Placeholders(JObject description) =>
        description.Properties().Where(p => p.Value.Type == JTokenType.String && (string?)p.Value == ToFill).Select(p => p.Name).ToList();

    /// <param name="env">The detected system: the run's system_env, else the generator's own detect-os/detect-cpu env.</param>
    /// <param name="framework">e.g. "ONNX Runtime 1.31.1".</param>
    /// <param name="storageProbeDir">A folder on the disk the results were written to, for its capacity.</param>
    public static JObject Build(
        IReadOnlyDictionary<string, string> env, string division, string submitter, string systemName, string systemType,
        string status, string framework, string storageProbeDir, JObject? overrides = null)
    {
        string Env(string key, string fallback) => env.TryGetValue(key, out var v) && v.Length > 0 ? v : fallback;
        var description = new JObject
        {
            ["division"] = division,
            ["submitter"] = submitter,
            ["status"] = status,
            ["system_name"] = Env("CM_HOST_SYSTEM_NAME", systemName),
            ["system_type"] = systemType,
            ["system_type_detail"] = ToFill,
            ["number_of_nodes"] = "1",
            ["host_processor_model_name"] = Env("CM_HOST_CPU_MODEL_NAME", "unknown"),
            ["host_processors_per_node"] = Env("CM_HOST_CPU_SOCKETS", "1"),
            ["host_processor_core_count"] = Env("CM_HOST_CPU_TOTAL_PHYSICAL_CORES", Env("CM_HOST_CPU_TOTAL_LOGICAL_CORES", "1")),
            ["host_processor_frequency"] = env.TryGetValue("CM_HOST_CPU_MAX_MHZ", out var mhz) && mhz.Length > 0 ? $"{mhz} MHz" : ToFill,
            ["host_processor_caches"] = Caches(env) ?? ToFill,
            ["host_processor_interconnect"] = ToFill,
            ["host_memory_capacity"] = MemoryCapacity(env),
            ["host_memory_configuration"] = ToFill,
            ["host_storage_capacity"] = StorageCapacity(storageProbeDir),
            ["host_storage_type"] = ToFill,
            ["host_networking"] = ToFill,
            ["host_networking_topology"] = ToFill,
            ["host_network_card_count"] = ToFill,
            // A string, not 0: the checker rejects falsy values in required fields, and CPU-only hosts have none.
            ["accelerators_per_node"] = "0",
            ["accelerator_model_name"] = NotApplicable,
            ["accelerator_frequency"] = NotApplicable,
            ["accelerator_host_interconnect"] = NotApplicable,
            ["accelerator_interconnect"] = NotApplicable,
            ["accelerator_interconnect_topology"] = NotApplicable,
            ["accelerator_memory_capacity"] = NotApplicable,
            ["accelerator_memory_configuration"] = NotApplicable,
            ["accelerator_on-chip_memories"] = NotApplicable,
            ["cooling"] = ToFill,
            ["framework"] = framework,
            ["operating_system"] = OperatingSystem(env),
            ["other_software_stack"] = $"{RuntimeInformation.FrameworkDescription}, Automation (CM re-implementation), native LoadGen {Automation.LoadGen.NativeLoadGen.LoadGenVersion}",
            ["hw_notes"] = HardwareNotes(env),
            ["sw_notes"] = "Generated by generate-mlperf-inference-submission.",
        };
        if (overrides is not null) description.Merge(overrides, new JsonMergeSettings { MergeArrayHandling = MergeArrayHandling.Replace });
        return description;
    }

    private static string? Caches(IReadOnlyDictionary<string, string> env)
    {
        var parts = new[] { ("L1d", "CM_HOST_CPU_L1D_CACHE_SIZE"), ("L2", "CM_HOST_CPU_L2_CACHE_SIZE"), ("L3", "CM_HOST_CPU_L3_CACHE_SIZE") }
            .Where(p => env.TryGetValue(p.Item2, out var v) && v.Length > 0).Select(p => $"{p.Item1}: {env[p.Item2]}").ToList();
        return parts.Count > 0 ? string.Join(", ", parts) : null;
    }

    private static string HardwareNotes(IReadOnlyDictionary<string, string> env)
    {
        string Get(string key) => env.TryGetValue(key, out var v) && v.Length > 0 ? v : "?";
        return $"Detected by detect-cpu: {Get("CM_HOST_CPU_ARCHITECTURE")}, {Get("CM_HOST_CPU_TOTAL_LOGICAL_CORES")} threads ({Get("CM_HOST_CPU_THREADS_PER_CORE")} per core), " +
            $"AVX2 {Get("CM_HOST_CPU_AVX2")}, AVX-512 {Get("CM_HOST_CPU_AVX512")}; no accelerator used";
    }

    private static string MemoryCapacity(IReadOnlyDictionary<string, string> env)
    {
        if (env.TryGetValue("CM_HOST_MEMORY_CAPACITY_KB", out var kb) && long.TryParse(kb, out var k) && k > 0)
            return $"{(k / 1048576.0).ToString("0.#", CultureInfo.InvariantCulture)} GB";
        return env.TryGetValue("CM_HOST_MEMORY_CAPACITY", out var text) && text.Length > 0 ? text.Replace("G", " GB") : "unknown";
    }

    private static string OperatingSystem(IReadOnlyDictionary<string, string> env)
    {
        var name = env.TryGetValue("CM_HOST_OS_NAME", out var n) && n.Length > 0 ? n : RuntimeInformation.OSDescription;
        return env.TryGetValue("CM_HOST_OS_KERNEL_VERSION", out var kernel) && kernel.Length > 0 ? $"{name} (kernel {kernel})" : name;
    }

    private static string StorageCapacity(string dir)
    {
        try
        {
            // The mount that holds the folder: the drive whose root is the longest prefix of its path.
            var full = Path.GetFullPath(dir);
            var drive = DriveInfo.GetDrives()
                .Where(d => d.IsReady && full.StartsWith(d.RootDirectory.FullName, StringComparison.Ordinal))
                .MaxBy(d => d.RootDirectory.FullName.Length);
            if (drive is null || drive.TotalSize <= 0) return "unknown";
            return $"{(drive.TotalSize / 1e9).ToString("0", CultureInfo.InvariantCulture)} GB";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return "unknown";
        }
    }
}
