using Microsoft.AspNetCore.Http;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http.Features;
using MLTrack.Core.Artifacts;
using MLTrack.Core.Runs;
using MLTrack.Core.Storage;
using MLTrack.Server.Http.Dto;

namespace MLTrack.Server.Http;

/// <summary>
/// Handlers of <c>artifacts/list</c> and the proxied artifact endpoints MLflow's client uses for
/// <c>mlflow-artifacts:/</c> URIs. Files live in <c>&lt;store.ArtifactRoot&gt;/&lt;run_id&gt;/</c> and are reached only
/// through <see cref="ArtifactFolder"/>: a symbolic link there is never served, listed or written through (400
/// INVALID_PARAMETER_VALUE naming the path). Uploads stream to a temporary file beside the target, are hashed on the
/// way, and replace the target only when complete, so a download sees the previous file (or 404), never a part.
/// Routes are declared in <see cref="RestRoutes"/>. With an enabled <see cref="IArtifactMirror"/> every upload is also
/// stored in the mirror, and a download whose local file is missing is restored from it first.
/// </summary>
internal sealed class ArtifactEndpoints(ITrackingStore store, long maxArtifactBytes, IArtifactMirror? mirror = null)
{
    private readonly IArtifactMirror _mirror = mirror ?? IArtifactMirror.None;

    public async Task List(HttpContext ctx)
    {
        var req = await ApiJson.ReadRequestAsync<ListArtifactsRequest>(ctx);
        var run = store.GetRun(req.RequireRunId());
        var rel = ArtifactPaths.Relative(req.Path, "path");
        var files = ListFolder(run.RunId, rel, fullPaths: true);
        await ApiJson.WriteAsync(ctx, new ListArtifactsResponse { RootUri = MlflowMapping.RunArtifactUri(run.ExperimentId, run.RunId), Files = files });
    }

    public async Task ListProxied(HttpContext ctx)
    {
        var req = ApiJson.ReadQuery<ListProxiedArtifactsRequest>(ctx);
        var (runId, rel) = ArtifactPaths.SplitProxied(req.Path ?? "", "path");
        store.GetRun(runId);
        await ApiJson.WriteAsync(ctx, new ListProxiedArtifactsResponse { Files = ListFolder(runId, rel, fullPaths: false) });
    }

    public async Task Download(HttpContext ctx)
    {
        var (runId, rel) = ArtifactPaths.SplitProxied(ArtifactPaths.RawPathAfter(ctx, ArtifactPaths.ProxyPrefix), "path");
        store.GetRun(runId);
        if (rel.Length == 0) throw NotFound(runId, rel);
        var folder = Folder(runId);
        var stream = Checked(() => TryOpen(folder, rel));
        if (stream is null && _mirror.IsEnabled && !folder.IsFolder(rel))
        {
            await Checked(() => _mirror.TryRestoreAsync(runId, rel, folder, ctx.RequestAborted));
            stream = Checked(() => TryOpen(folder, rel));
        }
        if (stream is null) throw NotFound(runId, rel);
        await using (stream)
        {
            // Exactly the length seen at open: a file still growing (a live log) must not overrun Content-Length.
            long length = stream.Length;
            ctx.Response.ContentType = "application/octet-stream";
            ctx.Response.ContentLength = length;
            var buffer = new byte[(int)Math.Min(1 << 16, Math.Max(1, length))];
            for (long left = length; left > 0;)
            {
                int n = await stream.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, left)), ctx.RequestAborted);
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
        if (run.LifecycleStage == LifecycleStages.Deleted)
            throw new ApiException(ErrorCodes.InvalidState, $"Run '{runId}' is deleted; restore it before adding artifacts.");
        if (ctx.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = maxArtifactBytes;

        var folder = Folder(runId);
        PendingArtifactFile pending;
        try
        {
            pending = Checked(() => folder.Create(rel));
        }
        catch (IOException e) when (e is not FileNotFoundException)
        {
            throw ApiException.InvalidParameter($"Cannot write artifact '{rel}' of run '{runId}': a part of its folder path is an existing file.");
        }
        long size = 0;
        string sha;
        await using (pending)
        {
            try
            {
                using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                var buffer = new byte[1 << 16];
                int n;
                while ((n = await ctx.Request.Body.ReadAsync(buffer, ctx.RequestAborted)) > 0)
                {
                    hash.AppendData(buffer, 0, n);
                    await pending.Stream.WriteAsync(buffer.AsMemory(0, n), ctx.RequestAborted);
                    size += n;
                }
                await pending.Stream.FlushAsync(ctx.RequestAborted);
                sha = Convert.ToHexStringLower(hash.GetHashAndReset());
                Checked(pending.Commit);
            }
            catch (IOException e) when (e is not FileNotFoundException and not BadHttpRequestException)
            {
                throw ApiException.InvalidParameter($"Cannot write artifact '{rel}' of run '{runId}': the upload was cut off or the disk refused the write.");
            }
        }
        store.RecordArtifact(runId, new ArtifactInfo(rel, size, sha));
        if (_mirror.IsEnabled) await Checked(() => _mirror.UploadAsync(runId, rel, folder, sha, ctx.RequestAborted));
        await ApiJson.WriteAsync(ctx, EmptyResponse.Instance);
    }

    /// <summary>Entries of one folder of the run's artifacts; paths relative to the run root, or bare names for the proxy listing.</summary>
    private List<FileInfoMessage> ListFolder(string runId, string rel, bool fullPaths)
    {
        var files = new List<FileInfoMessage>();
        foreach (var entry in Checked(() => Folder(runId).List(rel)))
        {
            var path = fullPaths && rel.Length > 0 ? rel + "/" + entry.Name : entry.Name;
            files.Add(entry is FileInfo f
                ? new FileInfoMessage { Path = path, IsDir = false, FileSize = f.Length }
                : new FileInfoMessage { Path = path, IsDir = true });
        }
        files.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        return files;
    }

    private ArtifactFolder Folder(string runId) => ArtifactFolder.ForRun(store.ArtifactRoot, runId);

    private static FileStream? TryOpen(ArtifactFolder folder, string rel)
    {
        try { return folder.OpenRead(rel); }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException) { return null; }
    }

    private static ApiException NotFound(string runId, string rel) => ApiException.NotFound($"Artifact '{rel}' not found in run '{runId}'.");

    /// <summary>A path the artifact folder refuses (e.g. through a symbolic link) is the client's bad parameter: 400.</summary>
    private static T Checked<T>(Func<T> action)
    {
        try { return action(); }
        catch (ArtifactPathException e) { throw ApiException.InvalidParameter(e.Message); }
    }

    private static void Checked(Action action) => Checked(() => { action(); return 0; });

    private static async Task Checked(Func<Task> action)
    {
        try { await action(); }
        catch (ArtifactPathException e) { throw ApiException.InvalidParameter(e.Message); }
    }
}
