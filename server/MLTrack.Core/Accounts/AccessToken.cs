namespace MLTrack.Core.Accounts;

public enum TokenKind
{
    /// <summary>Made by a user or an operator; named, expiring, revocable.</summary>
    Personal,
    /// <summary>Handed to one launched run; expires with it.</summary>
    Run,
}

/// <summary>
/// An access token's record. The secret itself is never stored: only its SHA-256 (<see cref="TokenSecrets"/>), so a
/// copy of the database grants nothing.
/// </summary>
public sealed record AccessToken(string TokenId, string UserId, string Name, TokenKind Kind, long CreatedAt, long? ExpiresAt,
    long? RevokedAt, string? RunId)
{
    /// <summary>Usable at <paramref name="now"/> (ms since the epoch): not revoked, not expired.</summary>
    public bool IsActive(long now) => RevokedAt is null && (ExpiresAt is null || now < ExpiresAt);
}

/// <summary>A token to record; <see cref="Hash"/> is <see cref="TokenSecrets.Hash"/> of the secret handed out once.</summary>
public sealed record NewAccessToken(string UserId, string Name, TokenKind Kind, string Hash, long CreatedAt, long? ExpiresAt, string? RunId = null);
