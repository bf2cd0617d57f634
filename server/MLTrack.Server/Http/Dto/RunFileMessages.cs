namespace MLTrack.Server.Http.Dto;

/// <summary>MLTrack extension <c>runs/log-files</c>: the files a run read and wrote, identified by content.</summary>
internal sealed class LogRunFilesRequest : RunRequest
{
    public List<RunFileMessage>? Inputs { get; init; }
    public List<RunFileMessage>? Outputs { get; init; }
}

internal sealed class RunFileMessage
{
    public string? Path { get; init; }
    public long? Size { get; init; }
    public string? Sha256 { get; init; }
}
