using System.Security.Cryptography;
using Newtonsoft.Json.Linq;
using Xunit;

namespace Automation.Cli.Tests.Pipeline;

/// <summary>The `_url` variation of get-dataset-fashion-mnist against a loopback server serving the real files.</summary>
public sealed class DatasetDownloadTests : IDisposable
{
    private const string Debian = "/usr/share/datasets/fashion-mnist";
    private readonly string cache = Directory.CreateTempSubdirectory("cm-dl-cache-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(cache, true); } catch (IOException) { }
    }

    private static string Md5(string file) => Convert.ToHexStringLower(MD5.HashData(File.ReadAllBytes(Path.Combine(Debian, file))));

    private CmResult Run(string baseUrl, bool rightChecksums) =>
        CmProcess.Run(RepoPaths.Root,
        [
            "run", "script", "--tags=get,dataset,fashion-mnist,original,_url", "-j", "--quiet", "--cache-dir", cache,
            $"--env.CM_DATASET_FASHION_MNIST_URLS=http://127.0.0.1:1/nothing/,{baseUrl}",
            "--env.CM_DOWNLOAD_RETRIES=0",
            .. rightChecksums
                ? new[]
                {
                    $"--env.CM_DATASET_FASHION_MNIST_MD5_TRAIN_IMAGES={Md5("train-images-idx3-ubyte.gz")}",
                    $"--env.CM_DATASET_FASHION_MNIST_MD5_TRAIN_LABELS={Md5("train-labels-idx1-ubyte.gz")}",
                    $"--env.CM_DATASET_FASHION_MNIST_MD5_T10K_IMAGES={Md5("t10k-images-idx3-ubyte.gz")}",
                    $"--env.CM_DATASET_FASHION_MNIST_MD5_T10K_LABELS={Md5("t10k-labels-idx1-ubyte.gz")}",
                }
                : [],
        ]);

    [Fact]
    public void DownloadsFromTheSecondMirrorVerifiesAndCaches()
    {
        if (!Directory.Exists(Debian)) return; // the real files are the stand-ins; without them there is nothing to serve
        using var server = new StaticFileServer(Debian);
        var r = Run(server.BaseUrl, rightChecksums: true);
        Assert.True(r.ExitCode == 0, r.Stderr);
        var env = JObject.Parse(r.Stdout)["new_env"]!;
        Assert.Equal("60000", (string?)env["CM_DATASET_TRAIN_SIZE"]);
        Assert.Equal("10000", (string?)env["CM_DATASET_TEST_SIZE"]);
        Assert.StartsWith(cache, (string)env["CM_DATASET_PATH"]!);
    }

    [Fact]
    public void PublishedChecksumsRejectOtherBytesAndCacheNothing()
    {
        // Debian recompresses the files, so the official MD5s in the meta must reject them.
        if (!Directory.Exists(Debian)) return;
        using var server = new StaticFileServer(Debian);
        var r = Run(server.BaseUrl, rightChecksums: false);
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("md5", r.Stderr, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("   at ", r.Stderr);
        Assert.DoesNotContain(Directory.EnumerateDirectories(cache), d => File.Exists(Path.Combine(d, "entry.json")));
    }
}
