using Microsoft.AspNetCore.Http;

namespace MLTrack.Server.Http.Auth;

/// <summary>
/// The browser session's cookie: HttpOnly (no script reads it), SameSite=Lax (not sent on cross-site POSTs), Secure
/// when the page is served over https, Path=/ (the UI and the API).
/// </summary>
internal static class SessionCookie
{
    public const string Name = "mltrack_session";

    public static void Set(HttpContext ctx, string secret, DateTimeOffset expires, bool secure) =>
        ctx.Response.Cookies.Append(Name, secret, Options(secure, expires));

    public static void Clear(HttpContext ctx, bool secure) => ctx.Response.Cookies.Delete(Name, Options(secure, null));

    private static CookieOptions Options(bool secure, DateTimeOffset? expires) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Lax,
        Secure = secure,
        Path = "/",
        Expires = expires,
    };
}
