namespace MLTrack.Core.Accounts;

/// <summary>How a principal proved who it is.</summary>
public enum PrincipalKind
{
    /// <summary>Local mode: the holder of the store's one token (or the editor's own process); sees and changes everything.</summary>
    Local,
    /// <summary>A signed-in user (a personal access token or a browser session).</summary>
    User,
    /// <summary>A launched run's short-lived token: acts as its user, but may write only that run.</summary>
    Run,
}

/// <summary>
/// Who is asking, on every request and RPC session. The Core services decide what it may see and change
/// (<see cref="AccessPolicy"/>); surfaces only establish it.
/// </summary>
/// <param name="UserId">The user's id; <see cref="LocalId"/> in local mode.</param>
/// <param name="TokenId">The access token used, when one was (so a run's token can be revoked with it).</param>
/// <param name="RunId">For <see cref="PrincipalKind.Run"/>: the one run it may write.</param>
public sealed record Principal(string UserId, string Email, string DisplayName, bool IsAdmin, PrincipalKind Kind,
    string? TokenId = null, string? RunId = null)
{
    public const string LocalId = "local";

    /// <summary>Local mode's one principal.</summary>
    public static Principal Local { get; } = new(LocalId, "", "local user", IsAdmin: true, PrincipalKind.Local);

    /// <summary>Sees and changes everything: local mode, or a server administrator.</summary>
    public bool IsUnrestricted => Kind == PrincipalKind.Local || (IsAdmin && Kind == PrincipalKind.User);

    /// <summary>What runs record as their user: the email of a signed-in user, nothing in local mode (git's name stays).</summary>
    public string? RunUser => Kind == PrincipalKind.Local ? null : Email;

    /// <summary>The operator at the server's command line (<c>mltrack users …</c>): unrestricted, named in the audit log by OS user and host.</summary>
    public static Principal Operator() =>
        Local with { DisplayName = $"operator {Environment.UserName}@{Environment.MachineName}" };

    public static Principal ForUser(User user, string? tokenId = null) =>
        new(user.UserId, user.Email, user.DisplayName, user.IsAdmin, PrincipalKind.User, tokenId);
}
