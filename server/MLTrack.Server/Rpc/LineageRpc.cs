using System.Security.Cryptography;
using MLTrack.Core.Lineage;
using MLTrack.Server.Rpc.Dto;

namespace MLTrack.Server.Rpc;

/// <summary>lineage/graph.</summary>
public sealed class LineageRpc(RpcSession session) : ILineageRpc
{
    public const int MaxDepth = 100;

    public Task<LineageGraphDto> GraphAsync(LineageParams request, CancellationToken cancellationToken)
    {
        var store = session.Store;
        var depth = request?.Depth ?? LineageService.DefaultDepth;
        if (depth is < 0 or > MaxDepth) throw RpcException.InvalidParams($"'depth' must be between 0 and {MaxDepth}, got {depth}.");
        var service = session.Root.Lineage();
        if (!string.IsNullOrWhiteSpace(request?.RunId))
        {
            var runId = store.ResolveRunId(request.RunId);
            var direction = request.Direction?.ToLowerInvariant() switch
            {
                null or "" or "both" => LineageDirection.Both,
                "up" => LineageDirection.Up,
                "down" => LineageDirection.Down,
                _ => throw RpcException.InvalidParams($"Unknown direction '{request.Direction}': expected up, down or both."),
            };
            return Task.FromResult(DtoMapper.ToDto(service.ForRun(runId, direction, depth), LineageService.RunNode(runId)));
        }
        if (!string.IsNullOrWhiteSpace(request?.FilePath))
        {
            var path = Path.GetFullPath(request.FilePath, session.WorkspaceFolder ?? Environment.CurrentDirectory);
            if (!File.Exists(path))
                throw new RpcException(RpcErrorCodes.ResourceDoesNotExist, "RESOURCE_DOES_NOT_EXIST", $"File '{path}' does not exist.");
            string sha;
            using (var s = File.OpenRead(path)) sha = Convert.ToHexStringLower(SHA256.HashData(s));
            return Task.FromResult(DtoMapper.ToDto(service.Impact(sha, path, depth), LineageService.FileNode(sha)));
        }
        throw RpcException.InvalidParams("lineage/graph needs 'runId' or 'filePath'.");
    }
}
