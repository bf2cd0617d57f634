using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace MLTrack.Server.Http;

/// <summary>
/// Artifact paths from clients, checked before any file is touched: relative, '/'-separated, no '.' or '..' segments,
/// no empty segments, no backslash, no NUL. Files are then reached only through
/// <see cref="MLTrack.Core.Artifacts.ArtifactFolder"/>, which keeps every path (and symbolic link) inside the run's folder.
/// </summary>
internal static class ArtifactPaths
{
    public const string ProxyPrefix = "/api/2.0/mlflow-artifacts/artifacts";
    /// <summary>A relative artifact path ("" for the run's root); a single trailing '/' is allowed.</summary>
    public static string Relative(string? path, string field)
    {
        if (string.IsNullOrEmpty(path)) return "";
        if (path.Contains('\0')) throw ApiException.InvalidParameter($"Invalid artifact path in '{field}': it contains a NUL character.");
        if (path.Contains('\\')) throw ApiException.InvalidParameter($"Invalid artifact path '{path}' in '{field}': use '/' as separator, not '\\'.");
        if (path.StartsWith('/') || (path.Length >= 2 && path[1] == ':' && char.IsAsciiLetter(path[0])))
            throw ApiException.InvalidParameter($"Invalid artifact path '{path}' in '{field}': absolute paths are not allowed.");
        var trimmed = path.EndsWith('/') ? path[..^1] : path;
        foreach (var segment in trimmed.Split('/'))
        {
            if (segment is "" or "." or "..")
                throw ApiException.InvalidParameter($"Invalid artifact path '{path}' in '{field}': '{segment}' segments are not allowed (the path must stay inside the run's artifacts).");
        }
        return trimmed;
    }

    /// <summary>
    /// Splits a proxied artifact path as MLflow's client builds it from the run's artifact_uri:
    /// <c>&lt;experiment_id&gt;/&lt;run_id&gt;/artifacts/&lt;rel&gt;</c> or <c>&lt;run_id&gt;/artifacts/&lt;rel&gt;</c>.
    /// </summary>
    public static (string RunId, string Relative) SplitProxied(string path, string field)
    {
        var checkedPath = Relative(path, field);
        var segments = checkedPath.Split('/');
        int at = segments.Length >= 2 && IsRunId(segments[0]) && segments[1] == "artifacts" ? 0
            : segments.Length >= 3 && segments[0].All(char.IsAsciiDigit) && IsRunId(segments[1]) && segments[2] == "artifacts" ? 1
            : -1;
        if (at < 0)
            throw ApiException.InvalidParameter(
                $"Invalid artifact path '{path}': expected '<run_id>/artifacts/<path>' or '<experiment_id>/<run_id>/artifacts/<path>'.");
        return (segments[at], string.Join('/', segments.Skip(at + 2)));
    }

    /// <summary>
    /// The request path after <paramref name="prefix"/>, percent-decoded exactly once from the raw request target (the
    /// server's own path is normalised and would hide '..' segments and encoded slashes).
    /// </summary>
    public static string RawPathAfter(HttpContext ctx, string prefix)
    {
        var raw = DecodedRawPath(ctx);
        if (!raw.StartsWith(prefix, StringComparison.Ordinal)) return "";
        var rest = raw[prefix.Length..];
        return rest.StartsWith('/') ? rest[1..] : rest;
    }

    /// <summary>The request's path as the client sent it (query removed), percent-decoded once.</summary>
    public static string DecodedRawPath(HttpContext ctx)
    {
        var raw = ctx.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (string.IsNullOrEmpty(raw) || raw[0] != '/') return ctx.Request.Path.Value ?? "";
        var q = raw.IndexOf('?');
        if (q >= 0) raw = raw[..q];
        return Uri.UnescapeDataString(raw);
    }

    public static bool IsRunId(string s) => s.Length == 32 && s.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f');
}
