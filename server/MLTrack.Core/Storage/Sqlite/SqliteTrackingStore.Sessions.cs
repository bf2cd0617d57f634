using MLTrack.Core.Accounts;
using static MLTrack.Core.Storage.AccountRules;

namespace MLTrack.Core.Storage.Sqlite;

public sealed partial class SqliteTrackingStore
{
    public void CreateSession(string hash, string userId, long createdAt, long expiresAt) => Write((c, tx) =>
    {
        RequireUser(c, tx, userId);
        var added = c.Exec("""
            INSERT INTO sessions (hash, user_id, created_at, expires_at, revoked_at) VALUES (@h, @u, @c, @x, NULL)
            ON CONFLICT (hash) DO NOTHING
            """, tx, ("@h", hash), ("@u", userId), ("@c", createdAt), ("@x", expiresAt));
        if (added != 1) throw SessionHashExists();
    });

    public (BrowserSession Session, User User)? FindSession(string hash) => Read<(BrowserSession, User)?>(c =>
    {
        using var cmd = c.Command($"""
            SELECT s.user_id, s.created_at, s.expires_at, s.revoked_at, {Prefixed("u", UserColumns)}
            FROM sessions s JOIN users u ON u.user_id = s.user_id WHERE s.hash = @h
            """, null, ("@h", hash));
        using var r = cmd.ExecuteReader();
        return r.Read() ? (new BrowserSession(r.GetString(0), r.GetInt64(1), r.GetInt64(2), r.GetNullableInt64(3)), ReadUser(r, 4)) : null;
    });

    public int RevokeSessions(string userId, long at) => Write((c, tx) =>
    {
        RequireUser(c, tx, userId);
        return c.Exec("UPDATE sessions SET revoked_at = @at WHERE user_id = @u AND revoked_at IS NULL", tx, ("@at", at), ("@u", userId));
    });

    public bool RevokeSession(string hash, long at) => Write((c, tx) =>
        c.Exec("UPDATE sessions SET revoked_at = @at WHERE hash = @h AND revoked_at IS NULL", tx, ("@at", at), ("@h", hash)) == 1);

    public void CreateSignInCode(string hash, string email, long createdAt, long expiresAt) => Write((c, tx) =>
    {
        // Expired codes are of no use to anyone: each new one clears them, so the table stays small.
        c.Exec("DELETE FROM sign_in_codes WHERE expires_at < @old", tx, ("@old", createdAt - CodeRetentionMs));
        var added = c.Exec("""
            INSERT INTO sign_in_codes (hash, email, created_at, expires_at, used_at) VALUES (@h, @e, @c, @x, NULL)
            ON CONFLICT (hash) DO NOTHING
            """, tx, ("@h", hash), ("@e", email.ToLowerInvariant()), ("@c", createdAt), ("@x", expiresAt));
        if (added != 1) throw SignInCodeHashExists();
    });

    public SignInCodeRedemption RedeemSignInCode(string hash, long now) => Write((c, tx) =>
    {
        var email = c.Scalar("UPDATE sign_in_codes SET used_at = @now WHERE hash = @h AND used_at IS NULL AND expires_at > @now RETURNING email", tx,
            ("@now", now), ("@h", hash));
        if (email is string e) return new SignInCodeRedemption(SignInCodeStatus.Redeemed, e);
        using var cmd = c.Command("SELECT used_at FROM sign_in_codes WHERE hash = @h", tx, ("@h", hash));
        using var r = cmd.ExecuteReader();
        return new SignInCodeRedemption(!r.Read() ? SignInCodeStatus.Unknown : r.IsDBNull(0) ? SignInCodeStatus.Expired : SignInCodeStatus.Used);
    });
}
