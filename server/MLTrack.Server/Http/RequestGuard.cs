using Microsoft.AspNetCore.Http;
using System.Security.Cryptography;
using System.Text;

namespace MLTrack.Server.Http;

/// <summary>
/// Checks every request before any handler runs, so a refused request writes nothing:
/// the Host header must name a loopback host (a DNS-rebinding guard, off only when bound to another address on
/// purpose) → else 403; <c>Authorization: Bearer &lt;token&gt;</c> must match, except for <c>GET /health</c> → else 401;
/// no '.' or '..' path segments (the server would normalise them away) → else 400.
/// </summary>
internal sealed class RequestGuard(string token, bool checkHost)
{
    public const string HealthPath = "/health";
    private readonly byte[] _expected = Encoding.UTF8.GetBytes("Bearer " + token);

    public Task InvokeAsync(HttpContext ctx, RequestDelegate next)
    {
        if (checkHost && !IsLoopbackHost(ctx.Request.Host))
            throw new ApiException(ErrorCodes.PermissionDenied,
                $"Host '{ctx.Request.Host}' is not allowed: this server answers only to localhost, 127.0.0.1 or [::1].");
        if (!(ctx.Request.Path.Equals(HealthPath, StringComparison.Ordinal) && HttpMethods.IsGet(ctx.Request.Method)) && !IsAuthorized(ctx))
            throw new ApiException(ErrorCodes.Unauthenticated,
                "Missing or wrong bearer token: send 'Authorization: Bearer <token>' with the token from .mltrack/token (MLTRACK_TOKEN / MLFLOW_TRACKING_TOKEN).");
        foreach (var segment in ArtifactPaths.DecodedRawPath(ctx).Split('/'))
        {
            if (segment is "." or "..")
                throw ApiException.InvalidParameter("Request paths must not contain '.' or '..' segments.");
        }
        return next(ctx);
    }

    private bool IsAuthorized(HttpContext ctx)
    {
        var header = ctx.Request.Headers.Authorization;
        if (header.Count != 1 || header[0] is not { } value) return false;
        var bytes = Encoding.UTF8.GetBytes(value.Trim());
        // The scheme is case-insensitive; compare it separately, then the whole value in constant time.
        if (bytes.Length >= 7 && Encoding.ASCII.GetString(bytes, 0, 7).Equals("Bearer ", StringComparison.OrdinalIgnoreCase))
            "Bearer "u8.CopyTo(bytes);
        return CryptographicOperations.FixedTimeEquals(bytes, _expected);
    }

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
