using Automation.Core.Security;
using Xunit;

namespace Automation.Core.Tests.Security;

public sealed class UrlCredentialsTests
{
    [Theory]
    [InlineData("https://user:pass@host/file", "https://***@host/file")]
    [InlineData("--url=http://token@example.com:8080/a?b=c", "--url=http://***@example.com:8080/a?b=c")]
    [InlineData("git clone https://u:p@ss@github.com/o/r.git", "git clone https://***@github.com/o/r.git")]
    [InlineData("a https://a:b@h/x and ftp://c:d@i/y", "a https://***@h/x and ftp://***@i/y")]
    [InlineData("\"url\": \"https://k:s@h/f\"", "\"url\": \"https://***@h/f\"")]
    [InlineData("https://***@host/file", "https://***@host/file")]
    public void The_user_info_of_every_url_is_masked(string text, string expected) => Assert.Equal(expected, UrlCredentials.Redact(text));

    [Theory]
    [InlineData("https://host/path@version/file")]
    [InlineData("mail me@example.com or see https://host/")]
    [InlineData("https://host/ me@example.com")]
    [InlineData("no url here user:pass@host")]
    [InlineData("")]
    public void Text_without_credentials_is_left_alone(string text) => Assert.Same(text, UrlCredentials.Redact(text));

    [Fact]
    public void A_redacting_writer_masks_what_passes_through()
    {
        var inner = new StringWriter();
        using (var writer = UrlCredentials.Redacting(inner))
        {
            writer.WriteLine("download https://a:b@h/f -> x");
            writer.Write("and http://c:d@i/");
        }

        Assert.Equal($"download https://***@h/f -> x{Environment.NewLine}and http://***@i/", inner.ToString());
    }
}
