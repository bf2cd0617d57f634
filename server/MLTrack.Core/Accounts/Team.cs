namespace MLTrack.Core.Accounts;

/// <summary>What a member may do in a team's experiments, each role including the ones below it.</summary>
public enum TeamRole
{
    /// <summary>Read runs, metrics, artifacts, reports.</summary>
    Viewer = 1,
    /// <summary>Also write runs (create, log, tag) and deploy.</summary>
    Editor = 2,
    /// <summary>Also manage members and delete.</summary>
    Admin = 3,
}

/// <summary>A team; names are unique.</summary>
public sealed record Team(string TeamId, string Name, long CreatedAt);

public sealed record TeamMember(string TeamId, string UserId, TeamRole Role);

/// <summary>
/// Whose an experiment is: a team's (<see cref="TeamId"/>) or its creator's personal space (<see cref="OwnerUserId"/>
/// only). Experiments with no owner record (the Default experiment, those made in local mode) are shared by every
/// signed-in user as editors.
/// </summary>
public sealed record ExperimentOwner(string ExperimentId, string? TeamId, string OwnerUserId);
