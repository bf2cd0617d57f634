namespace MLTrack.Core.Accounts;

/// <summary>
/// A signed-in browser's session. Its secret (the cookie's value) is never stored, only its SHA-256
/// (<see cref="TokenSecrets.Hash"/>); kept in the database so every replica knows it and sign-out ends it everywhere.
/// </summary>
public sealed record BrowserSession(string UserId, long CreatedAt, long ExpiresAt, long? RevokedAt)
{
    /// <summary>Usable at <paramref name="now"/> (ms since the epoch): not revoked, not expired.</summary>
    public bool IsActive(long now) => RevokedAt is null && now < ExpiresAt;
}
