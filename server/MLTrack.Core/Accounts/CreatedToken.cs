namespace MLTrack.Core.Accounts;

/// <summary>A token just made: its record, and its secret — shown this once, never stored.</summary>
public sealed record CreatedToken(AccessToken Token, string Secret);
