using System.Text;
using Automation.Core.Detection;
using Automation.Core.Versioning;
using Automation.Core.World;
using Newtonsoft.Json.Linq;

namespace Automation.Core.Tests.Detection;

/// <summary>
/// Spack-style detection fixtures: a temp folder of fake executables (/bin/sh scripts printing canned output) and
/// a controlled PATH, run through the real PhysicalFileSystem and CliWrapProcessRunner.
/// <code>
/// using var fx = new FakeToolFixture();
/// fx.AddTool("nvcc", stdout: "Cuda compilation tools, release 12.4, V12.4.131");
/// var result = await fx.DetectAsync(spec);   // PATH = fx.PathEnv
/// </code>
/// Each fake tool appends its arguments, one line per call, to <c>&lt;tool&gt;.args</c> (see <see cref="CallsOf"/>).
/// </summary>
public sealed class FakeToolFixture : IDisposable
{
    private readonly List<string> _pathFolders = [];

    public FakeToolFixture()
    {
        Root = Path.Combine(Path.GetTempPath(), "fake-tools-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    /// <summary>The folders holding tools added with onPath: true, in the order they were first used.</summary>
    public string PathEnv => string.Join(Path.PathSeparator, _pathFolders);

    /// <summary>A fake tool that prints <paramref name="stdout"/> and <paramref name="stderr"/> and exits with <paramref name="exitCode"/>. Returns its path.</summary>
    public string AddTool(string name, string stdout = "", string stderr = "", int exitCode = 0, string folder = "bin", bool onPath = true)
    {
        var body = new StringBuilder();
        if (stdout.Length > 0) body.Append($"printf '%s\\n' {ShellQuote(stdout)}\n");
        if (stderr.Length > 0) body.Append($"printf '%s\\n' {ShellQuote(stderr)} >&2\n");
        body.Append($"exit {exitCode}\n");
        return AddScript(name, body.ToString(), folder, onPath);
    }

    /// <summary>
    /// A fake tool with a hand-written /bin/sh body (for tools that sleep, read env, ...). The probe's PATH is the
    /// fixture's, so the body may use only shell built-ins or absolute paths (/bin/sleep).
    /// </summary>
    public string AddScript(string name, string shellBody, string folder = "bin", bool onPath = true)
    {
        var path = AddFile(name, "", folder, onPath);
        var log = CallLog(path);
        File.WriteAllText(path, $"#!/bin/sh\nprintf '%s\\n' \"$*\" >> '{log}'\n{shellBody}");
        if (OperatingSystem.IsWindows()) throw new PlatformNotSupportedException("Fake tools are /bin/sh scripts.");
        File.SetUnixFileMode(path, File.GetUnixFileMode(path) | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        return path;
    }

    /// <summary>A plain (non-executable) file, e.g. to check that it is skipped.</summary>
    public string AddFile(string name, string contents, string folder = "bin", bool onPath = true)
    {
        var dir = Folder(folder, onPath);
        var path = Path.Combine(dir, name);
        File.WriteAllText(path, contents);
        return path;
    }

    /// <summary>A symbolic link at <paramref name="link"/> (relative to <see cref="Root"/>) pointing at <paramref name="target"/>.</summary>
    public string AddLink(string link, string target, bool onPath = false)
    {
        var path = Path.Combine(Root, link);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        if (onPath && !_pathFolders.Contains(path)) _pathFolders.Add(path);
        File.CreateSymbolicLink(path, target);
        return path;
    }

    /// <summary>The absolute folder for <paramref name="relative"/>, created; put on <see cref="PathEnv"/> if asked.</summary>
    public string Folder(string relative, bool onPath = true)
    {
        var dir = Path.Combine(Root, relative);
        Directory.CreateDirectory(dir);
        if (onPath && !_pathFolders.Contains(dir)) _pathFolders.Add(dir);
        return dir;
    }

    /// <summary>The argument lines the fake tool at <paramref name="toolPath"/> was called with.</summary>
    public IReadOnlyList<string> CallsOf(string toolPath) =>
        File.Exists(CallLog(toolPath)) ? File.ReadAllLines(CallLog(toolPath)) : [];

    // Kept outside the tool folders so that globs such as python3.* never see the logs.
    private string CallLog(string toolPath)
    {
        var dir = Path.Combine(Root, ".calls");
        Directory.CreateDirectory(dir);
        return Path.Combine(dir, Path.GetRelativePath(Root, toolPath).Replace(Path.DirectorySeparatorChar, '_') + ".args");
    }

    /// <summary>An env whose PATH is <see cref="PathEnv"/>, plus the given pairs.</summary>
    public Dictionary<string, string> Env(params (string Key, string Value)[] extra)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal) { ["PATH"] = PathEnv };
        foreach (var (key, value) in extra) env[key] = value;
        return env;
    }

    public static Detector CreateDetector() =>
        new(PhysicalFileSystem.Instance, ProcessHostEnvironment.Instance, CliWrapProcessRunner.Instance);

    public static DetectSpec Spec(string detectJson, string scriptAlias = "get-fake") =>
        DetectSpecParser.Parse(JObject.Parse(detectJson), $"script/{scriptAlias}/_cm.json", scriptAlias);

    public Task<DetectionResult> DetectAsync(DetectSpec spec, VersionConstraint? constraint = null, Dictionary<string, string>? env = null) =>
        CreateDetector().DetectAsync(spec, env ?? Env(), constraint ?? VersionConstraint.None, CancellationToken.None);

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); }
        catch (IOException) { }
    }

    private static string ShellQuote(string text) => "'" + text.Replace("'", "'\\''") + "'";
}
