namespace MLTrack.Core.Accounts;

/// <summary>A new browser session: <see cref="Secret"/> goes into the cookie once and is never stored or logged.</summary>
public sealed record CreatedSession(string Secret, BrowserSession Session, User User);
