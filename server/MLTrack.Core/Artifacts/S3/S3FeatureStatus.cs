namespace MLTrack.Core.Artifacts.S3;

/// <summary>What happened to one bucket feature; ErrorCode is the server's code when it was not enabled.</summary>
public sealed record S3FeatureStatus(S3FeatureState State, string? ErrorCode, string Detail)
{
    public bool IsEnabled => State == S3FeatureState.Enabled;
}
