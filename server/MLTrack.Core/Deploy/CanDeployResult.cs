namespace MLTrack.Core.Deploy;

/// <summary>Whether a run can be deployed: its model's framework, or why not.</summary>
public sealed record CanDeployResult(bool Ok, string? Reason, string? Framework);
