using Automation.Core.Errors;
using Automation.Core.Files;
using Automation.Core.Resolution;
using Automation.Experiments.Templates;
using Fluid.Values;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Automation.Experiments.Containers;

public sealed record DockerOptions
{
    public string BaseImage { get; init; } = "mcr.microsoft.com/dotnet/runtime:10.0";
    public string BuildImage { get; init; } = "mcr.microsoft.com/dotnet/sdk:10.0";
    public string RepoDir { get; init; } = "/opt/automation";
    public string Image { get; init; } = "";
}

/// <summary>A generated Dockerfile plus the commands that build and run it.</summary>
public sealed record DockerBuildFiles(string Dockerfile, string DockerIgnore, IReadOnlyList<string> Packages, string Image, IReadOnlyList<string> BuildCommand, IReadOnlyList<string> RunCommand);

/// <summary>
/// Turns a resolved plan into a Dockerfile that installs the system packages the plan's scripts need and runs the
/// same `cm run script` inside. Pure: same plan and arguments give byte-identical output (sorted packages, no dates).
/// </summary>
public static partial class DockerfileGenerator
{
    /// <summary>Debian packages that known detection scripts look for; get-generic-sys-util names its own.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> KnownPackages = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["get-python3"] = ["python3"],
        ["get-git"] = ["git"],
        ["get-cmake"] = ["cmake"],
        ["get-gcc"] = ["gcc", "g++"],
        ["get-llvm"] = ["clang"],
        ["get-wget"] = ["wget"],
        ["detect-cpu"] = ["util-linux"],
        ["detect-os"] = ["lsb-release"],
    };

    public const string AptPackageEnv = "CM_SYS_UTIL_APT_PACKAGE";

    public static IReadOnlyList<string> Packages(Plan plan) =>
        plan.Nodes.SelectMany(PackagesOf).Where(p => p.Length > 0).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

    private static IEnumerable<string> PackagesOf(PlanNode node)
    {
        if (node.Env.TryGetValue(AptPackageEnv, out var named)) return named.Split(' ', ',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return KnownPackages.TryGetValue(node.Script.Alias, out var known) ? known : [];
    }

    /// <param name="runArgs">Arguments after `cm`, e.g. run script --tags=app,hello --results_dir=/workspace/out.</param>
    /// <param name="dockerfilePath">Where the Dockerfile will be written; <paramref name="contextDir"/> is the repository root.</param>
    public static DockerBuildFiles Generate(Plan plan, IReadOnlyList<string> runArgs, DockerOptions options, string dockerfilePath, string contextDir)
    {
        var packages = Packages(plan);
        foreach (var p in packages)
            if (!System.Text.RegularExpressions.Regex.IsMatch(p, "^[a-z0-9][a-z0-9+.-]*$"))
                throw new AutomationException($"script '{plan.Root.Script.Alias}' asks for the package '{p}', which is not a Debian package name", plan.Root.Script.MetaFile, plan.Root.Script.Alias,
                    $"Fix {AptPackageEnv} in the meta of the script that sets it.");
        foreach (var (what, name) in new[] { ("base image", options.BaseImage), ("build image", options.BuildImage), ("image name", options.Image) })
            if (name.Length > 0 && !ImageName().IsMatch(name))
                throw new AutomationException($"the {what} '{Line(name)}' is not a container image reference", plan.Root.Script.MetaFile, plan.Root.Script.Alias,
                    "Pass a name like debian:12, registry.example.com/team/image:tag or image@sha256:… (no spaces or line breaks).");
        var image = options.Image.Length > 0 ? options.Image : $"cm-{SafeName.Segment(plan.Root.Script.Alias).ToLowerInvariant()}";
        var command = new[] { "cm" }.Concat(runArgs).ToList();
        // Every value goes through Line: Docker ends an instruction at a line break, so a value holding one (an input,
        // an env value, a version from a meta) could otherwise start a RUN line of its own.
        var variables = new Dictionary<string, FluidValue>(StringComparer.Ordinal)
        {
            ["request"] = StrictTemplate.Str(Line(string.Join(' ', runArgs.Skip(2).Select(StrictTemplate.ShellQuote)))),
            ["plan_scripts"] = StrictTemplate.Str(Line(string.Join(", ", plan.Nodes.Select(n => n.Display)))),
            ["build_image"] = StrictTemplate.Str(Line(options.BuildImage)),
            ["base_image"] = StrictTemplate.Str(Line(options.BaseImage)),
            ["repo_dir"] = StrictTemplate.Str(Line(options.RepoDir)),
            ["packages"] = StrictTemplate.List(packages.Select(Line)),
            // JSON-quoted, so the exec-form CMD holds each argument exactly (JSON escapes line breaks itself).
            ["command"] = StrictTemplate.List(command.Select(a => Line(new JValue(a).ToString(Formatting.None)))),
        };
        var dockerfile = StrictTemplate.Render(StrictTemplate.Embedded("Dockerfile"), variables, "Dockerfile template");
        const string ignore = "# Generated by cm docker script: keep build outputs and caches out of the build context.\n.git\ncache\nartifacts\n**/bin\n**/obj\n";
        return new DockerBuildFiles(dockerfile, ignore, packages, image,
            ["docker", "build", "-t", image, "-f", dockerfilePath, contextDir],
            ["docker", "run", "--rm", "-v", "cm-cache:/workspace/cache", image]);
    }

    /// <summary>
    /// A value made safe for one Dockerfile line: line breaks and other control characters are written as escapes
    /// (\n, \r, \xHH), and a trailing backslash, which would join the next line, is doubled.
    /// </summary>
    public static string Line(string value)
    {
        var text = new System.Text.StringBuilder(value.Length);
        foreach (var c in value)
            text.Append(c switch
            {
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\t",
                _ when char.IsControl(c) || c is '\u2028' or '\u2029' => $"\\x{(int)c:x2}",
                _ => c.ToString(),
            });
        if (text.Length > 0 && text[^1] == '\\') text.Append('\\');
        return text.ToString();
    }

    // An image reference: [registry[:port]/]name[:tag][@digest], without spaces or control characters.
    [System.Text.RegularExpressions.GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._\-/:@]*$")]
    private static partial System.Text.RegularExpressions.Regex ImageName();
}
