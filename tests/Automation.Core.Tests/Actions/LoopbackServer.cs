using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Automation.Core.Tests.Actions;

public sealed record ServerRequest(string Method, string Path, IReadOnlyDictionary<string, string> Headers)
{
    /// <summary>The N of a "Range: bytes=N-" header, or null.</summary>
    public long? RangeStart =>
        Headers.TryGetValue("Range", out var value) && value.StartsWith("bytes=", StringComparison.Ordinal)
            ? long.Parse(value["bytes=".Length..].TrimEnd('-'))
            : null;
}

/// <summary>
/// A tiny HTTP/1.1 server on 127.0.0.1 for download tests: one request per connection, answered by a handler that
/// writes raw bytes so that tests can misbehave (cut connections, stall). Bounded: it accepts at most
/// <c>maxConnections</c> and stops by itself after <c>lifetime</c> (default 20 s).
/// </summary>
public sealed class LoopbackServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _life;
    private readonly ConcurrentBag<Task> _handlers = [];
    private readonly Task _acceptLoop;

    public LoopbackServer(Func<ServerRequest, Stream, CancellationToken, Task> handler, int maxConnections = 20, TimeSpan? lifetime = null)
    {
        _life = new CancellationTokenSource(lifetime ?? TimeSpan.FromSeconds(20));
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _acceptLoop = AcceptAsync(handler, maxConnections);
    }

    public int Port { get; }
    public ConcurrentQueue<ServerRequest> Requests { get; } = new();

    public Uri Url(string path) => new($"http://127.0.0.1:{Port}/{path.TrimStart('/')}");

    private async Task AcceptAsync(Func<ServerRequest, Stream, CancellationToken, Task> handler, int maxConnections)
    {
        try
        {
            for (var i = 0; i < maxConnections; i++)
            {
                var client = await _listener.AcceptTcpClientAsync(_life.Token);
                _handlers.Add(Task.Run(() => ServeAsync(client, handler)));
            }
        }
        catch (OperationCanceledException) { }
        finally { _listener.Stop(); }
    }

    private async Task ServeAsync(TcpClient client, Func<ServerRequest, Stream, CancellationToken, Task> handler)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var request = await ReadRequestAsync(stream, _life.Token);
                Requests.Enqueue(request);
                await handler(request, stream, _life.Token);
                await stream.FlushAsync(_life.Token);
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or SocketException) { }
        }
    }

    private static async Task<ServerRequest> ReadRequestAsync(Stream stream, CancellationToken ct)
    {
        var buffer = new List<byte>();
        var one = new byte[1];
        while (buffer.Count < 16_384 && !EndsWithBlankLine(buffer))
        {
            if (await stream.ReadAsync(one, ct) == 0) throw new IOException("client closed before sending a request");
            buffer.Add(one[0]);
        }
        var lines = Encoding.ASCII.GetString(buffer.ToArray()).Split("\r\n");
        var first = lines[0].Split(' ');
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines.Skip(1).Where(l => l.Contains(':')))
            headers[line[..line.IndexOf(':')].Trim()] = line[(line.IndexOf(':') + 1)..].Trim();
        return new ServerRequest(first[0], first[1], headers);
    }

    private static bool EndsWithBlankLine(List<byte> b) =>
        b.Count >= 4 && b[^4] == '\r' && b[^3] == '\n' && b[^2] == '\r' && b[^1] == '\n';

    /// <summary>Writes a response head; the caller writes (some of) the body.</summary>
    public static Task WriteHeadAsync(Stream stream, int status, long contentLength, CancellationToken ct, params string[] extraHeaders)
    {
        var head = new StringBuilder($"HTTP/1.1 {status} {ReasonPhrase(status)}\r\nContent-Length: {contentLength}\r\nConnection: close\r\n");
        foreach (var header in extraHeaders) head.Append(header).Append("\r\n");
        head.Append("\r\n");
        return stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()), ct).AsTask();
    }

    /// <summary>
    /// Serves <paramref name="content"/>, honouring "Range: bytes=N-" when <paramref name="ranges"/>; stops after
    /// <paramref name="cutAfter"/> body bytes. With <paramref name="etag"/> it sends that ETag and, as RFC 9110 asks,
    /// answers a Range request whose If-Range names another one with the whole file.
    /// </summary>
    public static async Task ServeAsync(ServerRequest request, Stream stream, byte[] content, CancellationToken ct, bool ranges = true, int? cutAfter = null,
        string? etag = null)
    {
        var current = etag is null || !request.Headers.TryGetValue("If-Range", out var ifRange) || ifRange == etag;
        var start = ranges && current && request.RangeStart is { } from ? from : 0;
        string[] tag = etag is null ? [] : [$"ETag: {etag}"];
        if (start >= content.Length && start > 0)
        {
            await WriteHeadAsync(stream, 416, 0, ct, [$"Content-Range: bytes */{content.Length}", .. tag]);
            return;
        }
        if (start > 0) await WriteHeadAsync(stream, 206, content.Length - start, ct, [$"Content-Range: bytes {start}-{content.Length - 1}/{content.Length}", .. tag]);
        else await WriteHeadAsync(stream, 200, content.Length, ct, tag);
        var body = content.AsMemory((int)start);
        await stream.WriteAsync(cutAfter is { } cut ? body[..Math.Min(cut, body.Length)] : body, ct);
    }

    public static Task StatusAsync(Stream stream, int status, CancellationToken ct) => WriteHeadAsync(stream, status, 0, ct);

    private static string ReasonPhrase(int status) => status switch
    {
        200 => "OK", 206 => "Partial Content", 404 => "Not Found", 416 => "Range Not Satisfiable", 503 => "Service Unavailable",
        _ => "Status",
    };

    public async ValueTask DisposeAsync()
    {
        await _life.CancelAsync();
        await _acceptLoop;
        await Task.WhenAll(_handlers).WaitAsync(TimeSpan.FromSeconds(5));
        _life.Dispose();
    }
}
