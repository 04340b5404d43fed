using System.Text;
using System.Text.RegularExpressions;

namespace Automation.Core.Security;

/// <summary>
/// Keeps credentials written into URLs (<c>https://user:token@host/…</c>) out of what cm writes down: the user-info
/// part of every URL in a text becomes <c>***</c>, the rest stays readable (<c>https://***@host/…</c>). Logs, run
/// records, RO-Crates and download errors pass through here.
/// </summary>
public static partial class UrlCredentials
{
    public const string Mask = "***";

    // scheme "://" user-info "@": user-info cannot pass what ends an authority (/ ? #), white space or quotes, so a
    // mail address later in the text is never taken for one; it runs to the authority's last '@', since passwords
    // are often written with a bare '@' in them.
    [GeneratedRegex(@"(?<scheme>\b[A-Za-z][A-Za-z0-9+.\-]*://)(?<userinfo>[^\s/?#""'<>\\]+)@", RegexOptions.CultureInvariant)]
    private static partial Regex WithUserInfo();

    public static string Redact(string text) =>
        text.Contains("://", StringComparison.Ordinal) && text.Contains('@')
            ? WithUserInfo().Replace(text, m => m.Groups["userinfo"].Value == Mask ? m.Value : m.Groups["scheme"].Value + Mask + "@")
            : text;

    public static string Redact(Uri url) => Redact(url.ToString());

    /// <summary>A writer that redacts each piece of text before passing it on (what is written with one call is redacted whole).</summary>
    public static TextWriter Redacting(TextWriter inner) => new RedactingWriter(inner);

    private sealed class RedactingWriter(TextWriter inner) : TextWriter
    {
        public override Encoding Encoding => inner.Encoding;
        public override void Write(char value) => inner.Write(value);
        public override void Write(string? value) => inner.Write(value is null ? null : Redact(value));
        public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));
        public override void WriteLine(string? value) => inner.WriteLine(value is null ? null : Redact(value));
        public override void Flush() => inner.Flush();

        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
