using System.Net;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using MLTrack.Core.Accounts;

namespace MLTrack.Server.Mail;

/// <summary>
/// Sends sign-in links over SMTP (MailKit). Plain SMTP is used only to a loopback relay (a local MTA or a test
/// server); any other host must offer TLS (port 465: TLS on connect; otherwise STARTTLS, required), so a link is never
/// sent in clear over a network.
/// </summary>
public sealed class SmtpSignInMailer : ISignInMailer
{
    private readonly string _host;
    private readonly int _port;
    private readonly MailboxAddress _from;

    /// <exception cref="ArgumentException">The port is out of range or the from-address is not one email address.</exception>
    public SmtpSignInMailer(string host, int port, string from)
    {
        if (string.IsNullOrWhiteSpace(host)) throw new ArgumentException("The SMTP host must be given.", nameof(host));
        if (port is < 1 or > 65535) throw new ArgumentException($"SMTP port {port} is not a port number (1-65535).", nameof(port));
        if (!MailboxAddress.TryParse(from, out var address) || !address.Address.Contains('@'))
            throw new ArgumentException($"The mail sender '{from}' is not an email address.", nameof(from));
        (_host, _port, _from) = (host, port, address);
    }

    /// <summary>True for localhost and loopback addresses: the only hosts plain SMTP goes to.</summary>
    public static bool IsLoopback(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));

    public async Task SendSignInLinkAsync(string to, Uri link, TimeSpan validFor, CancellationToken ct = default)
    {
        var message = new MimeMessage();
        message.From.Add(_from);
        message.To.Add(MailboxAddress.Parse(to));
        message.Subject = "Sign in to MLTrack";
        message.Body = new TextPart("plain")
        {
            Text = $"""
                To sign in to MLTrack, open this link within {validFor.TotalMinutes:0} minutes:

                {link}

                It works once. If you did not ask to sign in, ignore this email.
                """,
        };
        using var client = new SmtpClient();
        var security = IsLoopback(_host) ? SecureSocketOptions.None : _port == 465 ? SecureSocketOptions.SslOnConnect : SecureSocketOptions.StartTls;
        await client.ConnectAsync(_host, _port, security, ct);
        await client.SendAsync(message, ct);
        await client.DisconnectAsync(quit: true, ct);
    }
}
