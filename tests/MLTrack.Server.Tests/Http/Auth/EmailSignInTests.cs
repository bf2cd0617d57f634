using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Time.Testing;
using MLTrack.Core.Accounts;
using MLTrack.Core.Storage.Sqlite;
using MLTrack.Server.Http;
using MLTrack.Server.Http.Auth;
using MLTrack.Server.Mail;

namespace MLTrack.Server.Tests.Http.Auth;

/// <summary>
/// Email sign-in on a users-mode server, against a real SMTP server (maildev): the mailed link signs in once, within
/// minutes, sets an HttpOnly cookie that then works like a token, only ever redirects on this server, and the cookie's
/// writes need this server's Origin. Unknown emails get the same answer and no mail; starts are rate-limited.
/// </summary>
public sealed partial class EmailSignInTests(MaildevFixture maildev) : IClassFixture<MaildevFixture>, IAsyncLifetime
{
    private const string Ada = "ada@example.com";
    private readonly string _dir = Directory.CreateTempSubdirectory("mltrack-email-signin-").FullName;
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private readonly StringWriter _log = new();
    private SqliteTrackingStore _store = null!;
    private TrackingServer _server = null!;
    private User _ada = null!;

    public async Task InitializeAsync()
    {
        await maildev.ClearAsync();
        _store = SqliteTrackingStore.Open(Path.Combine(_dir, "mltrack.db"));
        _ada = new AccountService(_store).AddUser(Principal.Operator(), new NewUser(Ada));
        _server = await TrackingServer.StartAsync(_store, new TrackingServerOptions
        {
            Auth = AuthMode.Users,
            Token = "local-token",
            Log = _log,
            Clock = _clock,
            SignInMailer = new SmtpSignInMailer("127.0.0.1", maildev.SmtpPort, "mltrack@example.com"),
        });
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _store.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    private HttpClient Client() =>
        new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = _server.BaseAddress };

    private string Origin => _server.BaseAddress.GetLeftPart(UriPartial.Authority);

    private async Task<HttpResponseMessage> StartAsync(string email, string? returnTo = null)
    {
        using var client = Client();
        return await client.PostAsJsonAsync("api/2.0/mltrack/auth/email/start", new Dictionary<string, string?> { ["email"] = email, ["return_to"] = returnTo });
    }

    [GeneratedRegex(@"http://\S+/api/2\.0/mltrack/auth/email/complete\?\S+")]
    private static partial Regex CompleteLink();

    /// <summary>Starts a sign-in and returns the link from the <paramref name="nth"/> mail to Ada.</summary>
    private async Task<Uri> MailedLinkAsync(int nth = 1, string? returnTo = null)
    {
        using var started = await StartAsync(Ada, returnTo);
        Assert.Equal(HttpStatusCode.OK, started.StatusCode);
        // Only this test's server's mail: an earlier test's may still arrive after the inbox was emptied.
        var mail = await maildev.WaitForMailAsync(Ada, nth, _server.BaseAddress.ToString());
        return new Uri(CompleteLink().Match(mail.Text) is { Success: true } m ? m.Value : throw new InvalidOperationException("no link in: " + mail.Text));
    }

    private async Task<HttpResponseMessage> OpenAsync(Uri link)
    {
        using var client = Client();
        return await client.GetAsync(link);
    }

    /// <summary>The mltrack_session cookie's value set by a response.</summary>
    private static string SessionFrom(HttpResponseMessage response) =>
        response.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]).Single(c => c.StartsWith("mltrack_session=", StringComparison.Ordinal))["mltrack_session=".Length..];

    private async Task<string> SignInAsync(int nth = 1)
    {
        using var response = await OpenAsync(await MailedLinkAsync(nth));
        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        return SessionFrom(response);
    }

    private async Task<HttpResponseMessage> WithCookieAsync(HttpMethod method, string path, string session, string? origin, object? body = null)
    {
        using var client = Client();
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Add("Cookie", $"mltrack_session={session}");
        if (origin is not null) request.Headers.Add("Origin", origin);
        return await client.SendAsync(request);
    }

    [Fact]
    public async Task The_link_from_the_mail_signs_in_and_the_cookie_then_opens_an_API_route_as_that_user()
    {
        using var signedIn = await OpenAsync(await MailedLinkAsync());

        Assert.Equal(HttpStatusCode.SeeOther, signedIn.StatusCode);
        Assert.Equal("/ui/runs", signedIn.Headers.Location!.OriginalString);
        var cookie = signedIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("mltrack_session=", StringComparison.Ordinal)).ToLowerInvariant();
        Assert.Contains("httponly", cookie);
        Assert.Contains("samesite=lax", cookie);
        Assert.Contains("path=/", cookie);
        Assert.DoesNotContain("secure", cookie); // served over plain http here
        using var created = await WithCookieAsync(HttpMethod.Post, "api/2.0/mlflow/experiments/create", SessionFrom(signedIn), Origin, new { name = "ada's" });
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        var experiment = _store.FindExperimentByName("ada's")!;
        Assert.Equal(_ada.UserId, _store.FindExperimentOwner(experiment.ExperimentId)!.OwnerUserId);
        Assert.Contains(_store.ListAudit(new Core.Accounts.AuditQuery()), e => e.Action == AuditActions.SignedIn && e.ActorId == _ada.UserId);
    }

    [Fact]
    public async Task A_code_works_once()
    {
        var link = await MailedLinkAsync();
        using var first = await OpenAsync(link);

        using var second = await OpenAsync(link);

        Assert.Equal(HttpStatusCode.SeeOther, first.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, second.StatusCode);
        Assert.Contains("used already", await second.Content.ReadAsStringAsync());
        Assert.False(second.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task A_code_older_than_ten_minutes_is_refused()
    {
        var link = await MailedLinkAsync();
        _clock.Advance(EmailSignIn.CodeLifetime);

        using var response = await OpenAsync(link);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("expired", await response.Content.ReadAsStringAsync());
        Assert.False(response.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task An_unknown_email_gets_the_same_answer_and_no_mail()
    {
        using var unknown = await StartAsync("nobody@example.com");
        using var known = await StartAsync(Ada);

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (unknown.StatusCode, known.StatusCode));
        Assert.Equal(await known.Content.ReadAsStringAsync(), await unknown.Content.ReadAsStringAsync());
        await maildev.WaitForMailAsync(Ada, text: _server.BaseAddress.ToString()); // sent after the unknown one's would have been
        Assert.DoesNotContain(await maildev.MailsAsync(), m => m.To.Contains("nobody@example.com"));
    }

    [Fact]
    public async Task The_sixth_start_for_one_email_within_fifteen_minutes_is_429()
    {
        for (int i = 0; i < EmailSignIn.MaxStartsPerEmail; i++)
        {
            using var ok = await StartAsync(Ada);
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }
        _clock.Advance(TimeSpan.FromMinutes(14));

        using var sixth = await StartAsync(Ada);

        Assert.Equal(HttpStatusCode.TooManyRequests, sixth.StatusCode);
        Assert.Contains("REQUEST_LIMIT_EXCEEDED", await sixth.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("https://evil.example")]
    [InlineData("//evil.example/ui")]
    [InlineData("/\\evil.example")]
    public async Task A_return_to_off_the_server_is_not_followed(string returnTo)
    {
        using var response = await OpenAsync(await MailedLinkAsync(returnTo: returnTo));

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal("/ui/runs", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task A_return_to_on_the_server_is_followed()
    {
        using var response = await OpenAsync(await MailedLinkAsync(returnTo: "/ui/runs/0123?tab=metrics"));

        Assert.Equal("/ui/runs/0123?tab=metrics", response.Headers.Location!.OriginalString);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("https://evil.example")]
    public async Task A_cookie_POST_without_this_servers_Origin_is_403_and_writes_nothing(string? origin)
    {
        var session = await SignInAsync();

        using var response = await WithCookieAsync(HttpMethod.Post, "api/2.0/mlflow/experiments/create", session, origin, new { name = "forged" });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("PERMISSION_DENIED", await response.Content.ReadAsStringAsync());
        Assert.Null(_store.FindExperimentByName("forged"));
    }

    [Fact]
    public async Task Sign_out_everywhere_ends_every_session_of_the_user()
    {
        var first = await SignInAsync(1);
        var second = await SignInAsync(2);

        using var signOut = await WithCookieAsync(HttpMethod.Post, "api/2.0/mltrack/auth/sign-out-everywhere", first, Origin);

        Assert.Equal(HttpStatusCode.OK, signOut.StatusCode);
        Assert.Contains("\"sessions_ended\":2", await signOut.Content.ReadAsStringAsync());
        foreach (var session in new[] { first, second })
        {
            using var after = await WithCookieAsync(HttpMethod.Get, "api/2.0/mlflow/experiments/search", session, Origin);
            Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        }
    }

    [Fact]
    public async Task Sign_out_ends_only_this_session()
    {
        var first = await SignInAsync(1);
        var second = await SignInAsync(2);

        using var signOut = await WithCookieAsync(HttpMethod.Post, "api/2.0/mltrack/auth/sign-out", first, Origin);

        using var ended = await WithCookieAsync(HttpMethod.Get, "api/2.0/mlflow/experiments/search", first, null);
        using var other = await WithCookieAsync(HttpMethod.Get, "api/2.0/mlflow/experiments/search", second, null);
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.Unauthorized, HttpStatusCode.OK), (signOut.StatusCode, ended.StatusCode, other.StatusCode));
    }

    [Fact]
    public async Task The_session_secret_and_the_code_never_appear_in_the_server_log()
    {
        var link = await MailedLinkAsync();
        using var signedIn = await OpenAsync(link);
        var session = SessionFrom(signedIn);
        using var reused = await OpenAsync(link);
        using var signOut = await WithCookieAsync(HttpMethod.Post, "api/2.0/mltrack/auth/sign-out-everywhere", session, Origin);

        var log = _log.ToString();
        Assert.Contains($"{Ada} signed in", log);
        Assert.DoesNotContain(System.Web.HttpUtility.ParseQueryString(link.Query)["code"]!, log);
        Assert.DoesNotContain(session, log);
    }

    [Fact]
    public async Task Behind_an_https_public_url_the_link_is_under_it_and_the_cookie_is_Secure()
    {
        await using var server = await TrackingServer.StartAsync(_store, new TrackingServerOptions
        {
            Auth = AuthMode.Users,
            Token = "local-token",
            Log = TextWriter.Null,
            PublicUrl = new Uri("https://mltrack.example.com/team/"),
            SignInMailer = new SmtpSignInMailer("127.0.0.1", maildev.SmtpPort, "mltrack@example.com"),
        });
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = server.BaseAddress };
        using var started = await client.PostAsJsonAsync("api/2.0/mltrack/auth/email/start", new { email = Ada });
        var text = (await maildev.WaitForMailAsync(Ada, text: "https://mltrack.example.com/team/")).Text;
        var link = new Uri(Regex.Match(text, @"https://mltrack\.example\.com/team/api/2\.0/mltrack/auth/email/complete\?\S+").Value);

        using var signedIn = await client.GetAsync(link.PathAndQuery.Replace("/team/", "/"));

        Assert.Equal(HttpStatusCode.SeeOther, signedIn.StatusCode);
        Assert.Contains("secure", signedIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("mltrack_session=", StringComparison.Ordinal)).ToLowerInvariant());
    }
}
