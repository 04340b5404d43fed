using System.CommandLine;
using Automation.Cli.Hosting;
using Automation.Core.Errors;
using Automation.Core.Files;
using Automation.Core.World;
using Automation.Experiments.Containers;
using Automation.Experiments.Templates;

namespace Automation.Cli.Commands;

/// <summary>`cm docker script --tags=... [inputs] [--output=DIR] [--image=NAME] [--build]`: a Dockerfile that runs the same command inside.</summary>
public static class DockerScriptCommand
{
    public static Command Create(GlobalOptions g)
    {
        var tags = new Argument<string[]>("tags") { Description = "Script tags or alias", Arity = ArgumentArity.ZeroOrMore };
        var tagsOption = new Option<string?>("--tags") { Description = "Comma-separated script tags" };
        var output = new Option<string?>("--output") { Description = "Folder for Dockerfile and Dockerfile.dockerignore (default cm-docker/<alias>)" };
        var image = new Option<string?>("--image") { Description = "Image name (default cm-<alias>)" };
        var baseImage = new Option<string?>("--base_image", "--base-image") { Description = "Runtime base image (default mcr.microsoft.com/dotnet/runtime:10.0)" };
        var build = new Option<bool>("--build") { Description = "Also run docker build (needs docker on PATH)" };
        var script = new Command("script", "Generate a Dockerfile that installs the plan's system packages and runs the same `cm run script` inside. Other flags are the script's inputs.")
        {
            tags, tagsOption, output, image, baseImage, build, g.CacheDir, g.Verbose,
        };
        script.TreatUnmatchedTokensAsErrors = false;
        script.SetAction(parse =>
        {
            var engine = new Engine(parse.GetValue(g.CacheDir));
            var flags = DottedFlags.Parse(Program.FreeForm);
            var request = RunScriptCommand.BuildRequest(engine, parse.GetValue(tags) ?? [], parse.GetValue(tagsOption), flags);
            var plan = engine.Resolver.Resolve(request);
            var alias = plan.Root.Script.Alias;
            var runArgs = new List<string> { "run", "script" };
            runArgs.Add(parse.GetValue(tagsOption) is { } t ? "--tags=" + t : string.Join(',', (parse.GetValue(tags) ?? []).Concat(flags.Positionals)));
            runArgs.AddRange(Program.FreeForm.Where(f => f.StartsWith("--", StringComparison.Ordinal)));
            var dir = Path.GetFullPath(parse.GetValue(output) ?? Path.Combine("cm-docker", SafeName.Segment(alias)));
            var dockerfile = Path.Combine(dir, "Dockerfile");
            var options = new DockerOptions { Image = parse.GetValue(image) ?? "" };
            if (parse.GetValue(baseImage) is { } b) options = options with { BaseImage = b };
            var files = DockerfileGenerator.Generate(plan, runArgs, options, dockerfile, engine.Workspace.Root);
            Directory.CreateDirectory(dir);
            File.WriteAllText(dockerfile, files.Dockerfile);
            File.WriteAllText(dockerfile + ".dockerignore", files.DockerIgnore);
            var buildLine = string.Join(' ', files.BuildCommand.Select(StrictTemplate.ShellQuote));
            var runLine = string.Join(' ', files.RunCommand.Select(StrictTemplate.ShellQuote));
            Console.Out.WriteLine($"Dockerfile for {alias} ({(files.Packages.Count == 0 ? "no system packages" : string.Join(' ', files.Packages))}): {dockerfile}\n  build: {buildLine}\n  run:   {runLine}");
            if (!parse.GetValue(build)) return 0;
            if (Automation.Core.World.Executables.FindOnPath("docker", Environment.GetEnvironmentVariable("PATH")) is null)
                throw new AutomationException($"`docker` is not installed (not found on PATH), so the image was not built; the Dockerfile is at {dockerfile}",
                    fix: $"Install Docker Engine (or Podman with the podman-docker package), then run: {buildLine}");
            var result = CliWrapProcessRunner.Instance.RunAsync(new ProcessRequest("docker", files.BuildCommand.Skip(1).ToList(), engine.Workspace.Root, StreamToConsole: true)).GetAwaiter().GetResult();
            if (result.ExitCode != 0)
                throw new AutomationException($"docker build failed with exit code {result.ExitCode}: {result.StandardError.Trim().Split('\n')[^1]}", dockerfile,
                    fix: "Check that the Docker daemon runs (`docker info`) and that the base images can be pulled.");
            return 0;
        });
        return new Command("docker", "Container images for scripts") { script };
    }
}
