using System.Net;
using System.Net.Sockets;

namespace Automation.Cli.Tests;

/// <summary>Serves files from a folder on 127.0.0.1 for tests of download paths; stops itself after a time limit.</summary>
public sealed class StaticFileServer : IDisposable
{
    private readonly HttpListener listener = new();
    private readonly CancellationTokenSource stop = new(TimeSpan.FromMinutes(5));
    private readonly string folder;
    private int requests;

    public StaticFileServer(string folder)
    {
        this.folder = folder;
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        listener.Start();
        _ = Task.Run(ServeAsync);
    }

    public int Port { get; }
    public string BaseUrl => $"http://127.0.0.1:{Port}/";
    public int Requests => requests;

    private async Task ServeAsync()
    {
        while (!stop.IsCancellationRequested && requests < 200)
        {
            HttpListenerContext context;
            try { context = await listener.GetContextAsync().WaitAsync(stop.Token); }
            catch (Exception) { return; }
            Interlocked.Increment(ref requests);
            var path = Path.Combine(folder, Path.GetFileName(context.Request.Url!.AbsolutePath));
            try
            {
                if (!File.Exists(path)) { context.Response.StatusCode = 404; }
                else
                {
                    var bytes = await File.ReadAllBytesAsync(path);
                    context.Response.ContentLength64 = bytes.Length;
                    await context.Response.OutputStream.WriteAsync(bytes);
                }
            }
            catch (HttpListenerException) { }
            finally { context.Response.Close(); }
        }
    }

    public void Dispose()
    {
        stop.Cancel();
        listener.Close();
    }
}
