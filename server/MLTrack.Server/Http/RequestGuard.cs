using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using MLTrack.Server.Http.Auth;

namespace MLTrack.Server.Http;

/// <summary>
/// Checks every request before any handler runs, so a refused request writes nothing:
/// the Host header must name a loopback host (a DNS-rebinding guard, off only when bound to another address on
/// purpose) → else 403; the request must authenticate (<see cref="BearerAuthenticationHandler"/>: the store's token in
/// local mode, a user's access token with <c>--auth users</c>), except for <c>GET /health</c> → else 401, and 429 for
/// an address that failed too often (<see cref="AuthFailureLimiter"/>); a state-changing request authenticated by
/// the browser's session cookie (not a bearer token) must carry an Origin header naming this server → else 403 (CSRF);
/// no '.' or '..' path segments (the server would normalise them away) → else 400.
/// </summary>
/// <param name="limiter">Users mode only: local mode stays as it was (one loopback user, one 256-bit token).</param>
/// <param name="publicPaths">Paths that answer without authentication besides /health (users mode's email sign-in).</param>
/// <param name="publicUrl">Where browsers reach the server: its origin, besides the request's own, is same-origin.</param>
internal sealed class RequestGuard(bool checkHost, AuthMode mode, AuthFailureLimiter? limiter, IReadOnlySet<string>? publicPaths = null, Uri? publicUrl = null)
{
    public const string HealthPath = "/health";

    public async Task InvokeAsync(HttpContext ctx, RequestDelegate next)
    {
        if (checkHost && !IsLoopbackHost(ctx.Request.Host))
            throw new ApiException(ErrorCodes.PermissionDenied,
                $"Host '{ctx.Request.Host}' is not allowed: this server answers only to localhost, 127.0.0.1 or [::1].");
        if (!(ctx.Request.Path.Equals(HealthPath, StringComparison.Ordinal) && HttpMethods.IsGet(ctx.Request.Method))
            && publicPaths?.Contains(ctx.Request.Path.Value ?? "") != true)
        {
            await AuthenticateAsync(ctx).ConfigureAwait(false);
            CheckOrigin(ctx);
        }
        foreach (var segment in ArtifactPaths.DecodedRawPath(ctx).Split('/'))
        {
            if (segment is "." or "..")
                throw ApiException.InvalidParameter("Request paths must not contain '.' or '..' segments.");
        }
        await next(ctx).ConfigureAwait(false);
    }

    private async Task AuthenticateAsync(HttpContext ctx)
    {
        var address = ctx.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        if (limiter?.IsBlocked(address) == true)
            throw new ApiException(ErrorCodes.RequestLimitExceeded,
                $"Too many requests with a wrong token from {address}; try again in {AuthFailureLimiter.Window.TotalMinutes:0} minute.");
        var result = await ctx.AuthenticateAsync(BearerAuthenticationHandler.SchemeName).ConfigureAwait(false);
        if (result.Succeeded && result.Principal is { } user)
        {
            ctx.User = user;
            return;
        }
        if (!result.None) limiter?.RecordFailure(address);
        throw new ApiException(ErrorCodes.Unauthenticated, mode == AuthMode.Users
            ? "Missing, unknown, revoked or expired access token: send 'Authorization: Bearer <token>' with a personal access token (mltrack tokens create --user EMAIL; MLFLOW_TRACKING_TOKEN for MLflow code)."
            : "Missing or wrong bearer token: send 'Authorization: Bearer <token>' with the token from .mltrack/token (MLTRACK_TOKEN / MLFLOW_TRACKING_TOKEN).");
    }

    /// <summary>
    /// A cookie travels with every request the browser makes, whichever site asked for it; an Origin naming this
    /// server is what shows this server's own pages made it. Bearer tokens are not sent by browsers on their own.
    /// </summary>
    private void CheckOrigin(HttpContext ctx)
    {
        var method = ctx.Request.Method;
        if (ctx.User.Identity is not MltrackIdentity { BySessionCookie: true }
            || HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method) || HttpMethods.IsTrace(method))
            return;
        var origin = ctx.Request.Headers.Origin.ToString();
        var own = OriginOf($"{ctx.Request.Scheme}://{ctx.Request.Host}");
        var given = OriginOf(origin);
        if (given is null || (given != own && given != (publicUrl is null ? null : OriginOf(publicUrl.ToString()))))
            throw new ApiException(ErrorCodes.PermissionDenied, origin.Length == 0
                ? $"{method} with the session cookie needs an Origin header naming this server ({own}); send it from this server's pages, or use a bearer token."
                : $"{method} with the session cookie from origin '{origin}' is refused: only this server's own pages ({own}) may change things with it.");
    }

    private static string? OriginOf(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var u) && (u.Scheme == Uri.UriSchemeHttp || u.Scheme == Uri.UriSchemeHttps)
            ? u.GetLeftPart(UriPartial.Authority).ToLowerInvariant() : null;

    public static bool IsLoopbackHost(HostString host)
    {
        if (!host.HasValue) return false;
        var name = host.Host.TrimEnd('.');
        return name.Equals("localhost", StringComparison.OrdinalIgnoreCase)
            || name == "127.0.0.1"
            || name == "[::1]"
            || name == "::1";
    }
}
