namespace MLTrack.Core.Accounts;

/// <summary>Delivers a one-time sign-in link (SMTP on a server; anything that reaches the person's inbox).</summary>
public interface ISignInMailer
{
    /// <summary>Sends <paramref name="link"/> to <paramref name="to"/>; throws when it could not be handed over.</summary>
    Task SendSignInLinkAsync(string to, Uri link, TimeSpan validFor, CancellationToken ct = default);
}
