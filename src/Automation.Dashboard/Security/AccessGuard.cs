using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Automation.Dashboard.Security;

/// <summary>
/// Request checks in front of every endpoint: the Host header (DNS rebinding), the token (when one is set), a custom
/// header on state-changing requests (cross-site forms cannot send one, and we answer no CORS preflight), and
/// headers that keep the pages from being framed or running anything but our own scripts.
/// </summary>
public sealed class AccessGuard(DashboardOptions options, Func<int> port)
{
    public const string TokenHeader = "X-CM-Token";
    public const string TokenCookie = "cm_token";
    public const string ActionHeader = "X-CM-Dashboard";

    public async Task InvokeAsync(HttpContext ctx, RequestDelegate next)
    {
        var headers = ctx.Response.Headers;
        headers["Content-Security-Policy"] = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
        headers["X-Content-Type-Options"] = "nosniff";
        headers["X-Frame-Options"] = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers["Cache-Control"] = "no-store";
        if (options.IsLoopback && !IsLoopbackHost(ctx.Request.Host.Host))
        {
            await Deny(ctx, 421, $"this dashboard only answers requests for 127.0.0.1:{port()} or localhost:{port()}");
            return;
        }
        if (options.Token is { } token && !IsPublicAsset(ctx.Request.Path))
        {
            if (ctx.Request.Path == "/" && ctx.Request.Query["token"].ToString() is { Length: > 0 } offered && SameSecret(offered, token))
            {
                // Swap the token in the address for a cookie the page's own requests carry, and drop it from the address bar.
                ctx.Response.Cookies.Append(TokenCookie, token, new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Strict, Path = "/" });
                ctx.Response.Redirect("/");
                return;
            }
            var given = ctx.Request.Headers[TokenHeader].ToString() is { Length: > 0 } h ? h : ctx.Request.Cookies[TokenCookie] ?? "";
            if (!SameSecret(given, token))
            {
                await Deny(ctx, 401, "a token is required: open the address `cm serve` printed (it carries ?token=...), or send the X-CM-Token header");
                return;
            }
        }
        if (!HttpMethods.IsGet(ctx.Request.Method) && !HttpMethods.IsHead(ctx.Request.Method))
        {
            if (ctx.Request.Headers[ActionHeader].ToString() != "1" || !SameOrigin(ctx))
            {
                await Deny(ctx, 403, $"state-changing requests need the {ActionHeader}: 1 header and a same-origin Origin (cross-site requests are refused)");
                return;
            }
        }
        await next(ctx);
    }

    private static bool IsPublicAsset(PathString path) => path.StartsWithSegments("/assets");

    private static bool IsLoopbackHost(string host) =>
        host is "127.0.0.1" or "localhost" or "[::1]" or "::1";

    private static bool SameOrigin(HttpContext ctx)
    {
        var origin = ctx.Request.Headers.Origin.ToString();
        if (origin.Length == 0) return true; // non-browser clients send none; browsers always do on POST/DELETE
        return Uri.TryCreate(origin, UriKind.Absolute, out var uri) && string.Equals(uri.Authority, ctx.Request.Host.Value, StringComparison.OrdinalIgnoreCase);
    }

    private static bool SameSecret(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(a), Encoding.UTF8.GetBytes(b));

    private static Task Deny(HttpContext ctx, int status, string message)
    {
        ctx.Response.StatusCode = status;
        return Json.WriteError(ctx, message);
    }
}
