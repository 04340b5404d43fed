using System.Diagnostics;
using System.Text;
using Automation.Cli.Tests;
using Newtonsoft.Json.Linq;
using Xunit;

namespace Automation.Reliability.Tests.Input;

/// <summary>
/// Issue 17, items 7 and 9 for `cm serve`: a real dashboard process answers hostile requests and metas with 400 or a
/// note, and stays up (a stack overflow there ended the server for everyone).
/// </summary>
public sealed class DashboardInputTests : IAsyncLifetime
{
    private readonly TempWorkspace ws = new();
    private Process? serve;
    private HttpClient http = null!;

    public async Task InitializeAsync()
    {
        ws.AddScript("fine", """{"alias":"fine","uid":"f000000000000931","tags":["fine"]}""", "true");
        ws.AddScript("va", """{"alias":"va","uid":"f000000000000932","tags":["va"],"variations":{"x":{"alias":"y"},"y":{"alias":"x"}}}""");
        ws.AddScript("self", """{"alias":"self","uid":"f000000000000933","tags":["self"],"deps":[{"tags":"self","env":{"N":"x<<<N>>>"}}]}""");
        ws.AddScript("dv", """{"alias":"dv","uid":"f000000000000934","tags":["dv"],"variations":{"a":{"group":"g1","default_variations":{"g2":"c"}},"b":{"group":"g2"},"c":{"group":"g3"}}}""");
        var psi = CmProcess.StartInfo(ws.Root, ["serve", "--port", "0", "--runs-dir", Path.Combine(ws.Root, "runs")]);
        serve = Process.Start(psi)!;
        serve.StandardInput.Close();
        var url = await ReadUrl(serve, TimeSpan.FromSeconds(60));
        http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(30) };
    }

    public Task DisposeAsync()
    {
        http?.Dispose();
        if (serve is { HasExited: false }) serve.Kill(entireProcessTree: true);
        serve?.WaitForExit(10_000);
        serve?.Dispose();
        ws.Dispose();
        return Task.CompletedTask;
    }

    [Theory]
    [InlineData("""{"script":["fine"]}""", "'script' must be one script's alias as a string, not a array")]
    [InlineData("""{"script":{"alias":"fine"}}""", "'script' must be one script's alias as a string, not a object")]
    [InlineData("""{"script":7}""", "'script' must be one script's alias as a string, not a integer")]
    [InlineData("""{"script":"fine","variations":[["x"]]}""", "'variations' must be a list of strings")]
    [InlineData("""{"script":"fine","env":["A=1"]}""", "'env' must be an object")]
    [InlineData("""{"script":"va","variations":["x"]}""", "form a cycle: _x -> _y -> _x")]
    [InlineData("""{"script":"self"}""", "dependency chain deeper than 100 calls")]
    [InlineData("""{"script":"dv","variations":["a"]}""", "names '_c' for group 'g2'")]
    public async Task Item09_a_run_request_of_the_wrong_shape_or_for_a_broken_script_is_a_400(string body, string expected)
    {
        var (status, json) = await Post("/api/runs", body);
        Assert.True(status == 400, $"HTTP {status}: {json}");
        Assert.Contains(expected, (string?)json["error"] ?? "");
        await AssertStillServing();
    }

    [Theory]
    [InlineData("va?variations=x", "form a cycle: _x -> _y -> _x")]
    [InlineData("self", "dependency chain deeper than 100 calls")]
    [InlineData("dv?variations=a", "names '_c' for group 'g2'")]
    public async Task Item07_a_script_page_whose_plan_recurses_shows_the_error_and_the_server_stays_up(string path, string expected)
    {
        using var response = await http.GetAsync("/api/scripts/" + path);
        var json = JObject.Parse(await response.Content.ReadAsStringAsync());
        Assert.True((int)response.StatusCode == 200, json.ToString());
        Assert.Contains(expected, (string?)json["tree_error"] ?? "");
        await AssertStillServing();
    }

    private async Task<(int Status, JObject Body)> Post(string path, string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-CM-Dashboard", "1");
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.StartsWith('{') ? JObject.Parse(text) : new JObject { ["error"] = text });
    }

    private async Task AssertStillServing()
    {
        Assert.False(serve!.HasExited, $"cm serve exited with {(serve.HasExited ? serve.ExitCode : 0)}");
        using var info = await http.GetAsync("/api/info");
        Assert.Equal(200, (int)info.StatusCode);
    }

    private static async Task<string> ReadUrl(Process process, TimeSpan limit)
    {
        using var cts = new CancellationTokenSource(limit);
        while (await process.StandardOutput.ReadLineAsync(cts.Token) is { } line)
            if (line.StartsWith("cm dashboard: ", StringComparison.Ordinal)) return line["cm dashboard: ".Length..].Trim();
        throw new Xunit.Sdk.XunitException($"cm serve printed no address: {await process.StandardError.ReadToEndAsync()}");
    }
}
