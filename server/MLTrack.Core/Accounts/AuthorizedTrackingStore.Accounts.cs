using MLTrack.Core.Storage;

namespace MLTrack.Core.Accounts;

/// <summary>
/// The account area, passed on unchanged: who may manage users, tokens and teams is the account service's to decide,
/// and the auth middleware must read tokens before there is a principal to check.
/// </summary>
public sealed partial class AuthorizedTrackingStore
{
    public User CreateUser(NewUser user) => accounts.CreateUser(user);

    public User GetUser(string userId) => accounts.GetUser(userId);

    public User? FindUserByEmail(string email) => accounts.FindUserByEmail(email);

    public IReadOnlyList<User> ListUsers() => accounts.ListUsers();

    public void LinkIdentity(UserIdentity identity) => accounts.LinkIdentity(identity);

    public User? FindUserByIdentity(string provider, string subject) => accounts.FindUserByIdentity(provider, subject);

    public AccessToken CreateAccessToken(NewAccessToken token) => accounts.CreateAccessToken(token);

    public (AccessToken Token, User User)? FindAccessToken(string hash) => accounts.FindAccessToken(hash);

    public AccessToken GetAccessToken(string tokenId) => accounts.GetAccessToken(tokenId);

    public IReadOnlyList<AccessToken> ListAccessTokens(string? userId = null, bool includeRunTokens = false) =>
        accounts.ListAccessTokens(userId, includeRunTokens);

    public bool RevokeAccessToken(string tokenId, long at) => accounts.RevokeAccessToken(tokenId, at);

    public Team CreateTeam(string name) => accounts.CreateTeam(name);

    public Team GetTeam(string teamId) => accounts.GetTeam(teamId);

    public Team? FindTeamByName(string name) => accounts.FindTeamByName(name);

    public IReadOnlyList<Team> ListTeams() => accounts.ListTeams();

    public void SetTeamMember(string teamId, string userId, TeamRole role) => accounts.SetTeamMember(teamId, userId, role);

    public bool RemoveTeamMember(string teamId, string userId) => accounts.RemoveTeamMember(teamId, userId);

    public IReadOnlyList<TeamMember> ListTeamMembers(string teamId) => accounts.ListTeamMembers(teamId);

    public IReadOnlyDictionary<string, TeamRole> TeamRolesOf(string userId) => accounts.TeamRolesOf(userId);

    public void SetExperimentOwner(ExperimentOwner owner) => accounts.SetExperimentOwner(owner);

    public ExperimentOwner? FindExperimentOwner(string experimentId) => accounts.FindExperimentOwner(experimentId);

    public IReadOnlyDictionary<string, ExperimentOwner> ListExperimentOwners() => accounts.ListExperimentOwners();

    public void CreateSession(string hash, string userId, long createdAt, long expiresAt) => accounts.CreateSession(hash, userId, createdAt, expiresAt);

    public (BrowserSession Session, User User)? FindSession(string hash) => accounts.FindSession(hash);

    public int RevokeSessions(string userId, long at) => accounts.RevokeSessions(userId, at);

    public bool RevokeSession(string hash, long at) => accounts.RevokeSession(hash, at);

    public void CreateSignInCode(string hash, string email, long createdAt, long expiresAt) => accounts.CreateSignInCode(hash, email, createdAt, expiresAt);

    public SignInCodeRedemption RedeemSignInCode(string hash, long now) => accounts.RedeemSignInCode(hash, now);

    public AuditEntry AppendAudit(AuditEntry entry) => accounts.AppendAudit(entry);

    public IReadOnlyList<AuditEntry> ListAudit(AuditQuery query) => accounts.ListAudit(query);
}
