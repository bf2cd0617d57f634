using MLTrack.Core.Storage;

namespace MLTrack.Core.Accounts;

/// <summary>
/// Browser sessions, whichever way the user signed in: a random secret for the cookie, only its hash in the database,
/// so every replica knows a session and signing out (here or everywhere) ends it at the next request on all of them.
/// </summary>
public sealed class SessionService(IAccountStore store, TimeProvider? clock = null)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(12);

    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    private long Now => _clock.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>Signs the user in: a new session for <see cref="Lifetime"/>, audited.</summary>
    public CreatedSession Create(User user, string method, string? address)
    {
        var secret = TokenSecrets.Generate(TokenSecrets.SessionPrefix);
        var now = Now;
        var session = new BrowserSession(user.UserId, now, now + (long)Lifetime.TotalMilliseconds, null);
        store.CreateSession(TokenSecrets.Hash(secret), user.UserId, session.CreatedAt, session.ExpiresAt);
        Audit(Principal.ForUser(user), AuditActions.SignedIn, user.UserId, method, address);
        return new CreatedSession(secret, session, user);
    }

    /// <summary>The principal a session cookie stands for, or null (unknown, signed out, expired, or not a session's shape).</summary>
    public Principal? Authenticate(string secret)
    {
        if (!TokenSecrets.HasShape(secret, TokenSecrets.SessionPrefix)) return null;
        return store.FindSession(TokenSecrets.Hash(secret)) is { } found && found.Session.IsActive(Now) ? Principal.ForUser(found.User) : null;
    }

    /// <summary>Ends the one session; false when it had already ended.</summary>
    public bool SignOut(Principal actor, string secret, string? address)
    {
        var ended = TokenSecrets.HasShape(secret, TokenSecrets.SessionPrefix) && store.RevokeSession(TokenSecrets.Hash(secret), Now);
        if (ended) Audit(actor, AuditActions.SignedOut, actor.UserId, "this session", address);
        return ended;
    }

    /// <summary>Ends every session of the actor's user, on every replica; how many were active.</summary>
    public int SignOutEverywhere(Principal actor, string? address)
    {
        if (actor.Kind != PrincipalKind.User) throw new StoreException(StoreErrorCode.PermissionDenied, "Only a signed-in user has sessions to end.");
        var ended = store.RevokeSessions(actor.UserId, Now);
        Audit(actor, AuditActions.SignedOutEverywhere, actor.UserId, $"{ended} session(s)", address);
        return ended;
    }

    private void Audit(Principal actor, string action, string subject, string? detail, string? address) =>
        store.AppendAudit(new AuditEntry(Now, actor.UserId, actor.Email, action, subject, detail, address));
}
