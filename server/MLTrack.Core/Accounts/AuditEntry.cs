namespace MLTrack.Core.Accounts;

/// <summary>One audited action: who (user id and email at the time), what (<see cref="AuditActions"/>), on what, from where.</summary>
public sealed record AuditEntry(long At, string ActorId, string ActorEmail, string Action, string Subject, string? Detail, string? Address)
{
    /// <summary>The entry's position in the log (assigned by the store; 0 before it is stored).</summary>
    public long Seq { get; init; }
}

/// <summary>Which entries to list, newest first.</summary>
public sealed record AuditQuery
{
    /// <summary>Only this actor (user id or email).</summary>
    public string? Actor { get; init; }
    /// <summary>Only entries at or after this time (ms since the epoch).</summary>
    public long? Since { get; init; }
    public int MaxResults { get; init; } = 1000;
}

/// <summary>The audited actions' names, as they appear in the log.</summary>
public static class AuditActions
{
    public const string ExperimentCreated = "experiment.create";
    public const string ExperimentDeleted = "experiment.delete";
    public const string ExperimentRestored = "experiment.restore";
    public const string ExperimentShared = "experiment.share";
    public const string RunCreated = "run.create";
    public const string RunDeleted = "run.delete";
    public const string RunRestored = "run.restore";
    public const string Deployed = "deployment.create";
    public const string UserAdded = "user.add";
    public const string TeamCreated = "team.create";
    public const string RoleChanged = "team.role";
    public const string MemberRemoved = "team.remove";
    public const string TokenCreated = "token.create";
    public const string TokenRevoked = "token.revoke";
    /// <summary>A browser session began (detail: how, e.g. "email").</summary>
    public const string SignedIn = "session.sign-in";
    public const string SignedOut = "session.sign-out";
    public const string SignedOutEverywhere = "session.sign-out-everywhere";
}
