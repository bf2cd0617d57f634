using MLTrack.Core.Storage;

namespace MLTrack.Core.Accounts;

/// <summary>
/// Sign-in by a one-time link in an email. <see cref="Start"/> answers the same for every well-formed address and
/// mails only known users (no account enumeration; the mail goes out in the background, so timing tells nothing
/// either); the code is random, stored as a hash, valid <see cref="CodeLifetime"/> and redeemable once, on any
/// replica. <see cref="Complete"/> turns it into a browser session (<see cref="SessionService"/>).
/// </summary>
/// <param name="linkFor">The link to mail for a code and the page to return to.</param>
public sealed class EmailSignIn(IAccountStore store, ISignInMailer mailer, SessionService sessions, Func<string, string?, Uri> linkFor,
    SignInRateLimiter? limiter = null, TimeProvider? clock = null)
{
    public static readonly TimeSpan CodeLifetime = TimeSpan.FromMinutes(10);
    public const int MaxStartsPerEmail = 5;
    public const int MaxStartsPerAddress = 20;
    public const string Method = "email";

    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private readonly SignInRateLimiter _limiter = limiter ?? new SignInRateLimiter(clock);

    /// <summary>
    /// Starts a sign-in for <paramref name="email"/>. Returns the mail's delivery (already complete when nothing is
    /// sent), which the caller need not await.
    /// </summary>
    /// <exception cref="StoreException">InvalidParameterValue: not an email address.</exception>
    /// <exception cref="SignInException">LimitExceeded: too many starts for this email or from this address.</exception>
    public Task Start(string email, string? address, string? returnTo = null)
    {
        var normalized = CheckEmail(email);
        if (!_limiter.TryTake(("email:" + normalized, MaxStartsPerEmail), ("address:" + (address ?? "unknown"), MaxStartsPerAddress)))
            throw new SignInException(SignInFailure.LimitExceeded,
                $"Too many sign-in requests for this email or from this address; try again within {SignInRateLimiter.Window.TotalMinutes:0} minutes.");
        if (store.FindUserByEmail(normalized) is null) return Task.CompletedTask;
        var code = TokenSecrets.Generate(TokenSecrets.SignInCodePrefix);
        var now = _clock.GetUtcNow().ToUnixTimeMilliseconds();
        store.CreateSignInCode(TokenSecrets.Hash(code), normalized, now, now + (long)CodeLifetime.TotalMilliseconds);
        var link = linkFor(code, returnTo);
        return Task.Run(() => mailer.SendSignInLinkAsync(normalized, link, CodeLifetime));
    }

    /// <summary>Redeems the code from the link: a new session for its user.</summary>
    /// <exception cref="SignInException">Refused: unknown, used or expired code, or the user no longer exists.</exception>
    public CreatedSession Complete(string code, string? address)
    {
        if (!TokenSecrets.HasShape(code, TokenSecrets.SignInCodePrefix))
            throw new SignInException(SignInFailure.Refused, "This is not a sign-in code: use the link from the email as sent.");
        var redeemed = store.RedeemSignInCode(TokenSecrets.Hash(code), _clock.GetUtcNow().ToUnixTimeMilliseconds());
        var email = redeemed.Status switch
        {
            SignInCodeStatus.Redeemed => redeemed.Email!,
            SignInCodeStatus.Used => throw Refused("This sign-in link was used already; each works once. Ask for a new one."),
            SignInCodeStatus.Expired => throw Refused($"This sign-in link expired (links are valid {CodeLifetime.TotalMinutes:0} minutes). Ask for a new one."),
            _ => throw Refused("Unknown sign-in code. Ask for a new link."),
        };
        var user = store.FindUserByEmail(email) ?? throw Refused("The account this link was sent to no longer exists.");
        return sessions.Create(user, Method, address);
    }

    private static SignInException Refused(string message) => new(SignInFailure.Refused, message);

    private static string CheckEmail(string? email)
    {
        var text = email?.Trim() ?? "";
        var at = text.IndexOf('@');
        if (text.Length is 0 or > 254 || at <= 0 || at != text.LastIndexOf('@') || at == text.Length - 1 || text.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
            throw new StoreException(StoreErrorCode.InvalidParameterValue, "'email' must be one email address, like ada@example.com.");
        return text.ToLowerInvariant();
    }
}
