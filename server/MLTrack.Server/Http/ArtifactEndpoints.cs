using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using MLTrack.Core.Artifacts;
using MLTrack.Core.Runs;
using MLTrack.Core.Storage;
using MLTrack.Server.Http.Dto;

namespace MLTrack.Server.Http;

/// <summary>
/// Handlers of <c>artifacts/list</c> and the proxied artifact endpoints MLflow's client uses for
/// <c>mlflow-artifacts:/</c> URIs: every byte goes through the server's <see cref="IArtifactStore"/> (a local folder or
/// S3), so clients never need the store's credentials. A path the store refuses (a symbolic link in a local folder,
/// '..') is 400 INVALID_PARAMETER_VALUE naming it; a store that cannot be reached (S3 down) is 503
/// TEMPORARILY_UNAVAILABLE naming its endpoint, and nothing is recorded. Uploads are stored whole before they are
/// recorded (size and sha256 hashed on the way), so a download sees the previous file (or 404), never a part.
/// Routes are declared in <see cref="RestRoutes"/>.
/// </summary>
internal sealed class ArtifactEndpoints(ITrackingStore store, IArtifactStore artifacts, long maxArtifactBytes)
{
    public async Task List(HttpContext ctx)
    {
        var req = await ApiJson.ReadRequestAsync<ListArtifactsRequest>(ctx);
        var run = store.GetRun(req.RequireRunId());
        var rel = ArtifactPaths.Relative(req.Path, "path");
        var files = await ListFolder(run.RunId, rel, fullPaths: true, ctx.RequestAborted);
        await ApiJson.WriteAsync(ctx, new ListArtifactsResponse { RootUri = MlflowMapping.RunArtifactUri(run.ExperimentId, run.RunId), Files = files });
    }

    public async Task ListProxied(HttpContext ctx)
    {
        var req = ApiJson.ReadQuery<ListProxiedArtifactsRequest>(ctx);
        var (runId, rel) = ArtifactPaths.SplitProxied(req.Path ?? "", "path");
        store.GetRun(runId);
        await ApiJson.WriteAsync(ctx, new ListProxiedArtifactsResponse { Files = await ListFolder(runId, rel, fullPaths: false, ctx.RequestAborted) });
    }

    public async Task Download(HttpContext ctx)
    {
        var (runId, rel) = ArtifactPaths.SplitProxied(ArtifactPaths.RawPathAfter(ctx, ArtifactPaths.ProxyPrefix), "path");
        store.GetRun(runId);
        if (rel.Length == 0) throw NotFound(runId, rel);
        // The recorded sha256 lets a cache (S3's local copy) answer without the remote store.
        var known = store.ListArtifacts(runId).FirstOrDefault(a => a.Path == rel)?.Sha256;
        OpenedArtifact opened;
        try
        {
            opened = await Checked(() => artifacts.OpenReadAsync(runId, rel, new ArtifactReadOptions { KnownSha256 = known }, ctx.RequestAborted));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw NotFound(runId, rel);
        }
        await using (opened)
        {
            // Exactly the length seen at open: a file still growing (a live log) must not overrun Content-Length.
            long length = opened.Length;
            ctx.Response.ContentType = "application/octet-stream";
            ctx.Response.ContentLength = length;
            var buffer = new byte[(int)Math.Min(1 << 16, Math.Max(1, length))];
            for (long left = length; left > 0;)
            {
                int n = await opened.Content.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, left)), ctx.RequestAborted);
                if (n == 0) throw new IOException($"Artifact '{rel}' of run '{runId}' shrank while it was sent.");
                await ctx.Response.Body.WriteAsync(buffer.AsMemory(0, n), ctx.RequestAborted);
                left -= n;
            }
        }
    }

    public async Task Upload(HttpContext ctx)
    {
        var (runId, rel) = ArtifactPaths.SplitProxied(ArtifactPaths.RawPathAfter(ctx, ArtifactPaths.ProxyPrefix), "path");
        if (rel.Length == 0) throw ApiException.InvalidParameter("An artifact upload needs a file path after 'artifacts/'.");
        var run = store.GetRun(runId);
        // Before any byte is stored: the upload replaces a file of that name, and only recording it is the store's call.
        (store as MLTrack.Core.Accounts.IRunAccess)?.RequireWriteRun(runId, "Uploading an artifact to");
        if (run.LifecycleStage == LifecycleStages.Deleted)
            throw new ApiException(ErrorCodes.InvalidState, $"Run '{runId}' is deleted; restore it before adding artifacts.");
        if (ctx.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = maxArtifactBytes;

        ArtifactInfo info;
        try
        {
            info = await Checked(() => artifacts.WriteAsync(runId, rel, ctx.Request.Body, ctx.RequestAborted));
        }
        catch (IOException e) when (e is not FileNotFoundException and not BadHttpRequestException)
        {
            throw ApiException.InvalidParameter($"Cannot write artifact '{rel}' of run '{runId}': the upload was cut off or the disk refused the write.");
        }
        store.RecordArtifact(runId, info);
        await ApiJson.WriteAsync(ctx, EmptyResponse.Instance);
    }

    /// <summary>Entries of one folder of the run's artifacts; paths relative to the run root, or bare names for the proxy listing.</summary>
    private async Task<List<FileInfoMessage>> ListFolder(string runId, string rel, bool fullPaths, CancellationToken ct)
    {
        var entries = await Checked(() => artifacts.ListAsync(runId, rel, ct));
        return entries
            .Select(e => e.IsDir
                ? new FileInfoMessage { Path = fullPaths ? e.Path : e.Name, IsDir = true }
                : new FileInfoMessage { Path = fullPaths ? e.Path : e.Name, IsDir = false, FileSize = e.FileSize })
            .OrderBy(m => m.Path, StringComparer.Ordinal)
            .ToList();
    }

    private static ApiException NotFound(string runId, string rel) => ApiException.NotFound($"Artifact '{rel}' not found in run '{runId}'.");

    /// <summary>A path the artifact store refuses (e.g. through a symbolic link) is the client's bad parameter: 400.</summary>
    private static async Task<T> Checked<T>(Func<Task<T>> action)
    {
        try { return await action(); }
        catch (ArtifactPathException e) { throw ApiException.InvalidParameter(e.Message); }
    }
}
