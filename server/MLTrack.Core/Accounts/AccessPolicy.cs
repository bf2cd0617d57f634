namespace MLTrack.Core.Accounts;

/// <summary>
/// What one principal may do to each experiment, from a snapshot of whose the experiments are and the principal's
/// team roles. Pure: the caller reads the snapshot (per call, so a changed role applies at once) and enforces.
/// </summary>
public sealed class AccessPolicy(Principal principal, IReadOnlyDictionary<string, ExperimentOwner> owners,
    IReadOnlyDictionary<string, TeamRole> teamRoles)
{
    public Principal Principal { get; } = principal;

    /// <summary>
    /// The principal's role in the experiment; null when it may not even see it. A run's token acts as its user here;
    /// its narrower writes are <see cref="CanWriteRun"/>'s.
    /// </summary>
    public TeamRole? RoleOn(string experimentId)
    {
        // A server administrator's run token sees what the administrator sees.
        if (Principal.IsUnrestricted || (Principal.IsAdmin && Principal.Kind == PrincipalKind.Run)) return TeamRole.Admin;
        if (!owners.TryGetValue(experimentId, out var owner)) return TeamRole.Editor;
        if (owner.TeamId is { } team) return teamRoles.TryGetValue(team, out var role) ? role : null;
        return owner.OwnerUserId == Principal.UserId ? TeamRole.Admin : null;
    }

    public bool CanSee(string experimentId) => RoleOn(experimentId) is not null;

    /// <summary>Writes to the experiment itself or new runs in it: editors and admins, never a run's token.</summary>
    public bool CanWrite(string experimentId) => !IsRunToken && RoleOn(experimentId) >= TeamRole.Editor;

    /// <summary>Writes to one existing run: editors and admins; a run's token only to its own run.</summary>
    public bool CanWriteRun(string experimentId, string runId) =>
        RoleOn(experimentId) >= TeamRole.Editor && (!IsRunToken || Principal.RunId == runId);

    /// <summary>Deleting, restoring, renaming: admins only, never through a run's token.</summary>
    public bool CanAdminister(string experimentId) => !IsRunToken && RoleOn(experimentId) == TeamRole.Admin;

    /// <summary>The ones of <paramref name="experimentIds"/> the principal may see, in their order.</summary>
    public IReadOnlyList<string> Visible(IEnumerable<string> experimentIds) => experimentIds.Where(CanSee).ToList();

    private bool IsRunToken => Principal.RunId is not null;
}
