namespace MLTrack.Server.Http.Dto;

/// <summary>A listed artifact: <c>{"path", "is_dir", "file_size"}</c>; is_dir is always present (MLflow's client reads it unconditionally).</summary>
internal sealed class FileInfoMessage
{
    public required string Path { get; init; }
    public required bool IsDir { get; init; }
    public long? FileSize { get; init; }
}

internal sealed class ListArtifactsRequest : RunRequest
{
    public string? Path { get; init; }
    public string? PageToken { get; init; }
}

internal sealed class ListArtifactsResponse
{
    public required string RootUri { get; init; }
    public required IReadOnlyList<FileInfoMessage> Files { get; init; }
}

internal sealed class ListProxiedArtifactsRequest
{
    public string? Path { get; init; }
}

internal sealed class ListProxiedArtifactsResponse
{
    public required IReadOnlyList<FileInfoMessage> Files { get; init; }
}
