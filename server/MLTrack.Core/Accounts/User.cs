namespace MLTrack.Core.Accounts;

/// <summary>A person known to a team server. Email is unique (compared case-insensitively, stored lowercase).</summary>
public sealed record User(string UserId, string Email, string DisplayName, string? AvatarUrl, bool IsAdmin, long CreatedAt);

/// <summary>A user to add.</summary>
public sealed record NewUser(string Email, string? DisplayName = null, bool IsAdmin = false, string? AvatarUrl = null);

/// <summary>A sign-in identity of a user at a provider ("github", "oidc:https://issuer", "email").</summary>
public sealed record UserIdentity(string UserId, string Provider, string Subject);
