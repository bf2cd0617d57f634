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
/// <c>mlflow-artifacts:/</c> URIs. Files live in <c>&lt;store.ArtifactRoot&gt;/&lt;run_id&gt;/</c>; uploads stream to a
/// temporary file beside the target, are hashed on the way, and replace the target only when complete.
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
        var file = ArtifactPaths.Resolve(ArtifactPaths.RunFolder(store.ArtifactRoot, runId), rel);
        if (rel.Length > 0 && !File.Exists(file) && !Directory.Exists(file) && _mirror.IsEnabled)
            await _mirror.TryRestoreAsync(runId, rel, file, ctx.RequestAborted);
        if (rel.Length == 0 || !File.Exists(file)) throw ApiException.NotFound($"Artifact '{rel}' not found in run '{runId}'.");
        ctx.Response.ContentType = "application/octet-stream";
        ctx.Response.ContentLength = new FileInfo(file).Length;
        await ctx.Response.SendFileAsync(file, ctx.RequestAborted);
    }

    public async Task Upload(HttpContext ctx)
    {
        var (runId, rel) = ArtifactPaths.SplitProxied(ArtifactPaths.RawPathAfter(ctx, ArtifactPaths.ProxyPrefix), "path");
        if (rel.Length == 0) throw ApiException.InvalidParameter("An artifact upload needs a file path after 'artifacts/'.");
        var run = store.GetRun(runId);
        if (run.LifecycleStage == LifecycleStages.Deleted)
            throw new ApiException(ErrorCodes.InvalidState, $"Run '{runId}' is deleted; restore it before adding artifacts.");
        var target = ArtifactPaths.Resolve(ArtifactPaths.RunFolder(store.ArtifactRoot, runId), rel);
        if (ctx.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = maxArtifactBytes;

        var folder = Path.GetDirectoryName(target)!;
        var temp = Path.Combine(folder, ArtifactPaths.UploadPrefix + Guid.NewGuid().ToString("N"));
        long size = 0;
        string sha;
        try
        {
            Directory.CreateDirectory(folder);
            if (Directory.Exists(target)) throw ApiException.InvalidParameter($"Artifact path '{rel}' is a directory.");
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            await using (var output = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
            {
                var buffer = new byte[1 << 16];
                int n;
                while ((n = await ctx.Request.Body.ReadAsync(buffer, ctx.RequestAborted)) > 0)
                {
                    hash.AppendData(buffer, 0, n);
                    await output.WriteAsync(buffer.AsMemory(0, n), ctx.RequestAborted);
                    size += n;
                }
                await output.FlushAsync(ctx.RequestAborted);
                output.Flush(flushToDisk: true);
            }
            sha = Convert.ToHexStringLower(hash.GetHashAndReset());
            File.Move(temp, target, overwrite: true);
        }
        catch (IOException e) when (e is not FileNotFoundException)
        {
            TryDelete(temp);
            throw ApiException.InvalidParameter($"Cannot write artifact '{rel}' of run '{runId}': {e.Message}");
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
        store.RecordArtifact(runId, new ArtifactInfo(rel, size, sha));
        if (_mirror.IsEnabled) await _mirror.UploadAsync(runId, rel, target, sha, ctx.RequestAborted);
        await ApiJson.WriteAsync(ctx, EmptyResponse.Instance);
    }

    /// <summary>Entries of one folder of the run's artifacts; paths relative to the run root, or bare names for the proxy listing.</summary>
    private List<FileInfoMessage> ListFolder(string runId, string rel, bool fullPaths)
    {
        var dir = ArtifactPaths.Resolve(ArtifactPaths.RunFolder(store.ArtifactRoot, runId), rel);
        var files = new List<FileInfoMessage>();
        if (!Directory.Exists(dir)) return files;
        foreach (var entry in new DirectoryInfo(dir).EnumerateFileSystemInfos())
        {
            if (entry.Name.StartsWith(ArtifactPaths.UploadPrefix, StringComparison.Ordinal)) continue;
            var path = fullPaths && rel.Length > 0 ? rel + "/" + entry.Name : entry.Name;
            files.Add(entry is FileInfo f
                ? new FileInfoMessage { Path = path, IsDir = false, FileSize = f.Length }
                : new FileInfoMessage { Path = path, IsDir = true });
        }
        files.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        return files;
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
