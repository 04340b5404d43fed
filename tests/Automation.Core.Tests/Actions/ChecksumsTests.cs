using Automation.Core.Actions;
using Automation.Core.Errors;
using Xunit;

namespace Automation.Core.Tests.Actions;

public sealed class ChecksumsTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Known_vectors_match_sha256sum_and_md5sum()
    {
        var path = _temp["abc.txt"];
        File.WriteAllText(path, "abc");

        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", Checksums.Sha256(path));
        Assert.Equal("900150983cd24fb0d6963f7d28e17f72", Checksums.Md5(path));
        Assert.Null(Checksums.Compute(path, includeMd5: false).Md5);
    }

    [Fact]
    public void Files_larger_than_the_buffer_hash_like_one_shot_hashing()
    {
        var path = _temp["big.bin"];
        var data = new byte[3 * (1 << 20) + 17];
        new Random(7).NextBytes(data);
        File.WriteAllBytes(path, data);

        var digests = Checksums.Compute(path, includeMd5: true);

        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(data)), digests.Sha256);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(data)), digests.Md5);
    }

    [Theory]
    [InlineData(" ABCDEF0123456789abcdef0123456789 ", "abcdef0123456789abcdef0123456789")]
    [InlineData("md5:abcdef0123456789abcdef0123456789", "abcdef0123456789abcdef0123456789")]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void Expected_digests_are_normalised(string? input, string? expected) =>
        Assert.Equal(expected, Checksums.NormalizeExpected(input, "md5", 32));

    [Theory]
    [InlineData("abc")]
    [InlineData("zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz")]
    public void Malformed_expected_digests_are_rejected(string input) =>
        Assert.Throws<AutomationException>(() => Checksums.NormalizeExpected(input, "md5", 32));
}
