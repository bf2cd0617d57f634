using Microsoft.AspNetCore.Http;
using MLTrack.Core.Lineage;
using MLTrack.Core.Storage;
using MLTrack.Server.Http.Dto;

namespace MLTrack.Server.Http;

/// <summary>Handler of the MLTrack extension <c>/api/2.0/mltrack/runs/log-files</c>. Routes are declared in <see cref="RestRoutes"/>.</summary>
internal sealed class RunFileEndpoints(ITrackingStore store)
{
    public async Task LogFiles(HttpContext ctx)
    {
        var req = await ApiJson.ReadBodyAsync<LogRunFilesRequest>(ctx);
        var runId = req.RequireRunId();
        var files = new List<RunFile>();
        Add(files, req.Inputs, FileDirection.Input, "inputs");
        Add(files, req.Outputs, FileDirection.Output, "outputs");
        store.RecordRunFiles(runId, files);
        await ApiJson.WriteAsync(ctx, EmptyResponse.Instance);
    }

    private static void Add(List<RunFile> into, List<RunFileMessage>? files, FileDirection direction, string field)
    {
        if (files is null) return;
        for (int i = 0; i < files.Count; i++)
        {
            var f = files[i] ?? throw ApiException.MissingParameter($"{field}[{i}]");
            var path = f.Path is { Length: > 0 } p ? p : throw ApiException.MissingParameter($"{field}[{i}].path");
            if (path.Contains('\0')) throw ApiException.InvalidParameter($"Field '{field}[{i}].path' must not contain NUL characters.");
            var size = f.Size is { } s and >= 0 ? s : throw ApiException.InvalidParameter($"Field '{field}[{i}].size' must be a size in bytes (0 or more).");
            var sha = f.Sha256 is { Length: 64 } h && h.All(char.IsAsciiHexDigit)
                ? h.ToLowerInvariant()
                : throw ApiException.InvalidParameter($"Field '{field}[{i}].sha256' must be 64 hexadecimal characters.");
            into.Add(new RunFile(direction, path, size, sha));
        }
    }
}
