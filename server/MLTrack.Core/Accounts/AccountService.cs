using MLTrack.Core.Storage;

namespace MLTrack.Core.Accounts;

/// <summary>
/// Accounts on a team server, for every surface (the operator CLI, REST, RPC): users, access tokens, teams and roles,
/// the audit log — each change checked against the acting <see cref="Principal"/> and audited. Secrets are handed out
/// once (<see cref="CreatedToken"/>) and only their hash is stored, so <see cref="Authenticate"/> looks a token up by
/// hash: nothing secret is compared, and a revoked token fails on every replica at its next request.
/// </summary>
public sealed class AccountService(IAccountStore store, TimeProvider? clock = null)
{
    /// <summary>Longest a personal token may live; run tokens live as long as their run, bounded by this too.</summary>
    public static readonly TimeSpan MaxTokenLifetime = TimeSpan.FromDays(366);

    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    private long Now => _clock.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>The principal a bearer secret stands for, or null (unknown, revoked, expired, or not a token's shape).</summary>
    public Principal? Authenticate(string secret)
    {
        if (!TokenSecrets.LooksLikeToken(secret)) return null;
        if (store.FindAccessToken(TokenSecrets.Hash(secret)) is not { } found || !found.Token.IsActive(Now)) return null;
        var principal = Principal.ForUser(found.User, found.Token.TokenId);
        return found.Token.Kind == TokenKind.Run ? principal with { Kind = PrincipalKind.Run, RunId = found.Token.RunId } : principal;
    }

    public User AddUser(Principal actor, NewUser user, string? address = null)
    {
        RequireUnrestricted(actor, "add users");
        var added = store.CreateUser(user);
        Audit(actor, AuditActions.UserAdded, added.UserId, added.Email, address);
        return added;
    }

    public IReadOnlyList<User> ListUsers() => store.ListUsers();

    /// <summary>The user named by id or email.</summary>
    /// <exception cref="StoreException">ResourceDoesNotExist naming what was asked for.</exception>
    public User FindUser(string idOrEmail) =>
        (idOrEmail.Contains('@') ? store.FindUserByEmail(idOrEmail) : TryGet(() => store.GetUser(idOrEmail)))
        ?? throw new StoreException(StoreErrorCode.ResourceDoesNotExist, $"No user '{idOrEmail}'.");

    /// <summary>A named personal token for <paramref name="userIdOrEmail"/>: made by that user, or by an administrator for anyone.</summary>
    /// <param name="lifetime">Null: <see cref="MaxTokenLifetime"/>.</param>
    public CreatedToken CreatePersonalToken(Principal actor, string userIdOrEmail, string name, TimeSpan? lifetime = null, string? address = null)
    {
        var user = FindUser(userIdOrEmail);
        if (!actor.IsUnrestricted && actor.UserId != user.UserId)
            throw Denied($"Making a token for {user.Email} needs an administrator; you are {actor.Email}.");
        if (string.IsNullOrWhiteSpace(name) || name.Length > 100 || name.Any(char.IsControl))
            throw new StoreException(StoreErrorCode.InvalidParameterValue, "A token's name must be 1-100 printable characters.");
        var created = Issue(user.UserId, name.Trim(), TokenKind.Personal, lifetime, runId: null);
        Audit(actor, AuditActions.TokenCreated, created.Token.TokenId, $"{user.Email}: {created.Token.Name}", address);
        return created;
    }

    /// <summary>A short-lived token for one launched run, acting as <paramref name="actor"/> and able to write only that run.</summary>
    public CreatedToken CreateRunToken(Principal actor, string runId, TimeSpan lifetime)
    {
        if (actor.Kind != PrincipalKind.User) throw Denied("Only a signed-in user's launches get run tokens.");
        return Issue(actor.UserId, "run " + runId, TokenKind.Run, lifetime, runId);
    }

    /// <summary>Tokens of the user (anyone's for an administrator when <paramref name="userIdOrEmail"/> is null).</summary>
    public IReadOnlyList<AccessToken> ListTokens(Principal actor, string? userIdOrEmail = null)
    {
        if (userIdOrEmail is null)
        {
            if (actor.IsUnrestricted) return store.ListAccessTokens();
            return store.ListAccessTokens(actor.UserId);
        }
        var user = FindUser(userIdOrEmail);
        if (!actor.IsUnrestricted && actor.UserId != user.UserId) throw Denied("Listing another user's tokens needs an administrator.");
        return store.ListAccessTokens(user.UserId);
    }

    /// <summary>Revokes one's own token, or anyone's as an administrator; false when it already was.</summary>
    public bool RevokeToken(Principal actor, string tokenId, string? address = null)
    {
        var token = store.GetAccessToken(tokenId);
        if (!actor.IsUnrestricted && actor.UserId != token.UserId) throw Denied("Revoking another user's token needs an administrator.");
        var revoked = store.RevokeAccessToken(tokenId, Now);
        if (revoked) Audit(actor, AuditActions.TokenRevoked, tokenId, token.Name, address);
        return revoked;
    }

    public Team CreateTeam(Principal actor, string name, string? address = null)
    {
        RequireUnrestricted(actor, "create teams");
        var team = store.CreateTeam(name);
        Audit(actor, AuditActions.TeamCreated, team.TeamId, team.Name, address);
        return team;
    }

    /// <summary>The team named by id or name.</summary>
    public Team FindTeam(string idOrName) =>
        store.FindTeamByName(idOrName) ?? TryGet(() => store.GetTeam(idOrName))
        ?? throw new StoreException(StoreErrorCode.ResourceDoesNotExist, $"No team '{idOrName}'.");

    public IReadOnlyList<Team> ListTeams() => store.ListTeams();

    /// <summary>Adds a member or changes their role: an administrator, or an admin of the team.</summary>
    public void SetMember(Principal actor, string team, string userIdOrEmail, TeamRole role, string? address = null)
    {
        var t = FindTeam(team);
        RequireTeamAdmin(actor, t);
        var user = FindUser(userIdOrEmail);
        store.SetTeamMember(t.TeamId, user.UserId, role);
        Audit(actor, AuditActions.RoleChanged, t.TeamId, $"{user.Email} is {role.ToString().ToLowerInvariant()} in {t.Name}", address);
    }

    public bool RemoveMember(Principal actor, string team, string userIdOrEmail, string? address = null)
    {
        var t = FindTeam(team);
        RequireTeamAdmin(actor, t);
        var user = FindUser(userIdOrEmail);
        var removed = store.RemoveTeamMember(t.TeamId, user.UserId);
        if (removed) Audit(actor, AuditActions.MemberRemoved, t.TeamId, $"{user.Email} left {t.Name}", address);
        return removed;
    }

    public IReadOnlyList<TeamMember> ListMembers(string team) => store.ListTeamMembers(FindTeam(team).TeamId);

    /// <summary>The audit log, for administrators.</summary>
    public IReadOnlyList<AuditEntry> ListAudit(Principal actor, AuditQuery query)
    {
        RequireUnrestricted(actor, "read the audit log");
        return store.ListAudit(query);
    }

    private CreatedToken Issue(string userId, string name, TokenKind kind, TimeSpan? lifetime, string? runId)
    {
        var life = lifetime ?? MaxTokenLifetime;
        if (life <= TimeSpan.Zero || life > MaxTokenLifetime)
            throw new StoreException(StoreErrorCode.InvalidParameterValue, $"A token's lifetime must be more than 0 and at most {MaxTokenLifetime.TotalDays:0} days.");
        var secret = TokenSecrets.Generate(kind);
        var now = Now;
        var token = store.CreateAccessToken(new NewAccessToken(userId, name, kind, TokenSecrets.Hash(secret), now, now + (long)life.TotalMilliseconds, runId));
        return new CreatedToken(token, secret);
    }

    private void RequireTeamAdmin(Principal actor, Team team)
    {
        if (actor.IsUnrestricted) return;
        if (!store.TeamRolesOf(actor.UserId).TryGetValue(team.TeamId, out var role) || role != TeamRole.Admin)
            throw Denied($"Managing the members of {team.Name} needs the admin role in it.");
    }

    private static void RequireUnrestricted(Principal actor, string what)
    {
        if (!actor.IsUnrestricted) throw Denied($"Only an administrator may {what}.");
    }

    private void Audit(Principal actor, string action, string subject, string? detail, string? address) =>
        store.AppendAudit(new AuditEntry(Now, actor.UserId, actor.Email.Length > 0 ? actor.Email : actor.DisplayName, action, subject, detail, address));

    private static StoreException Denied(string message) => new(StoreErrorCode.PermissionDenied, message);

    private static T? TryGet<T>(Func<T> get) where T : class
    {
        try
        {
            return get();
        }
        catch (StoreException e) when (e.Code == StoreErrorCode.ResourceDoesNotExist)
        {
            return null;
        }
    }
}
