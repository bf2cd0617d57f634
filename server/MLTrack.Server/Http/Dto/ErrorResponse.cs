namespace MLTrack.Server.Http.Dto;

/// <summary>MLflow's error body.</summary>
internal sealed class ErrorResponse
{
    public required string ErrorCode { get; init; }
    public required string Message { get; init; }
}
