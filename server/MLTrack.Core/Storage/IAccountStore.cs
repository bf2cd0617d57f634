using MLTrack.Core.Accounts;

namespace MLTrack.Core.Storage;

/// <summary>
/// People on a team server: users and their sign-in identities, access tokens (hashes only), teams and roles, whose
/// each experiment is, and the audit log. Kept in the tracking store's own database, so every replica sees a change
/// (a revoked token) at its next request. Emails are stored lowercase and compared case-insensitively; team names are
/// unique as given. Unknown ids are <see cref="StoreErrorCode.ResourceDoesNotExist"/>, duplicates
/// <see cref="StoreErrorCode.ResourceAlreadyExists"/>.
/// </summary>
public interface IAccountStore
{
    // Users
    User CreateUser(NewUser user);
    User GetUser(string userId);
    User? FindUserByEmail(string email);
    /// <summary>Every user, by email.</summary>
    IReadOnlyList<User> ListUsers();
    /// <summary>Links a provider's subject to the user (again: nothing changes; another user's: ResourceAlreadyExists).</summary>
    void LinkIdentity(UserIdentity identity);
    User? FindUserByIdentity(string provider, string subject);

    // Access tokens
    AccessToken CreateAccessToken(NewAccessToken token);
    /// <summary>The token with this hash and its user, active or not (the caller checks <see cref="AccessToken.IsActive"/>).</summary>
    (AccessToken Token, User User)? FindAccessToken(string hash);
    AccessToken GetAccessToken(string tokenId);
    /// <summary>Tokens, newest first; only <paramref name="userId"/>'s when given. Run tokens only when asked.</summary>
    IReadOnlyList<AccessToken> ListAccessTokens(string? userId = null, bool includeRunTokens = false);
    /// <summary>Marks the token revoked at <paramref name="at"/>; false when it already was.</summary>
    bool RevokeAccessToken(string tokenId, long at);

    // Teams
    Team CreateTeam(string name);
    Team GetTeam(string teamId);
    Team? FindTeamByName(string name);
    IReadOnlyList<Team> ListTeams();
    /// <summary>Adds the user to the team with the role, or changes their role.</summary>
    void SetTeamMember(string teamId, string userId, TeamRole role);
    /// <summary>False when the user was not a member.</summary>
    bool RemoveTeamMember(string teamId, string userId);
    /// <summary>The team's members, by user id.</summary>
    IReadOnlyList<TeamMember> ListTeamMembers(string teamId);
    /// <summary>The teams the user is in, with their role in each.</summary>
    IReadOnlyDictionary<string, TeamRole> TeamRolesOf(string userId);

    // Experiment ownership
    /// <summary>Records (or replaces) whose the experiment is.</summary>
    void SetExperimentOwner(ExperimentOwner owner);
    ExperimentOwner? FindExperimentOwner(string experimentId);
    /// <summary>Every ownership record, by experiment id.</summary>
    IReadOnlyDictionary<string, ExperimentOwner> ListExperimentOwners();

    // Browser sessions and one-time sign-in codes (hashes of the secrets only; times in ms since the epoch)
    /// <summary>Records a session for the user (ResourceDoesNotExist for an unknown user, ResourceAlreadyExists for a known hash).</summary>
    void CreateSession(string hash, string userId, long createdAt, long expiresAt);
    /// <summary>The session with this hash and its user, active or not (the caller checks <see cref="BrowserSession.IsActive"/>).</summary>
    (BrowserSession Session, User User)? FindSession(string hash);
    /// <summary>Revokes every active session of the user at <paramref name="at"/>; how many were.</summary>
    int RevokeSessions(string userId, long at);
    /// <summary>Revokes the one session at <paramref name="at"/>; false when it is unknown or already was.</summary>
    bool RevokeSession(string hash, long at);
    /// <summary>Records a one-time code for the email (stored lowercase).</summary>
    void CreateSignInCode(string hash, string email, long createdAt, long expiresAt);
    /// <summary>
    /// Uses the code up at <paramref name="now"/> if it is unused and unexpired, in one statement: of two concurrent
    /// redeems (on two replicas) exactly one gets Redeemed, the other Used.
    /// </summary>
    SignInCodeRedemption RedeemSignInCode(string hash, long now);

    // Audit log
    /// <summary>Appends the entry; returns it with its <see cref="AuditEntry.Seq"/>.</summary>
    AuditEntry AppendAudit(AuditEntry entry);
    IReadOnlyList<AuditEntry> ListAudit(AuditQuery query);
}
