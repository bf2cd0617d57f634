namespace MLTrack.Core.Deploy;

/// <summary>Where a deployment is: PENDING → UPLOADING → BUILDING → DEPLOYING → READY, or FAILED; STOPPED once stopped.
/// The local target skips UPLOADING.</summary>
public enum DeploymentStatus
{
    PENDING,
    UPLOADING,
    BUILDING,
    DEPLOYING,
    READY,
    FAILED,
    STOPPED,
}
