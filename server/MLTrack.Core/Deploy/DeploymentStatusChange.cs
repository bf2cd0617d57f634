namespace MLTrack.Core.Deploy;

/// <summary>One status transition: the new status, a human-readable message (for FAILED: the tool's error, secrets
/// redacted), the endpoint once known, and when it happened (Unix ms).</summary>
public sealed record DeploymentStatusChange(DeploymentStatus Status, string? Message, string? EndpointUrl, long Timestamp);
