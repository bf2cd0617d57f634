namespace MLTrack.Server.Tests.Cli;

/// <summary><c>mltrack server --smtp --mail-from --public-url</c>: bad combinations and values are refused before the store opens, naming what is wrong.</summary>
public sealed class ServerSignInOptionTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Smtp_without_users_mode_is_refused()
    {
        var (exit, _, err) = await _cli.Run("server", "--smtp", "127.0.0.1:25", "--mail-from", "mltrack@example.com");
        Assert.NotEqual(0, exit);
        Assert.Contains("--auth users", err);
    }

    [Fact]
    public async Task Smtp_without_a_sender_is_refused()
    {
        var (exit, _, err) = await _cli.Run("server", "--auth", "users", "--smtp", "127.0.0.1:25");
        Assert.NotEqual(0, exit);
        Assert.Contains("--mail-from", err);
    }

    [Theory]
    [InlineData("127.0.0.1", "HOST:PORT")]
    [InlineData("127.0.0.1:70000", "port")]
    public async Task A_malformed_smtp_address_is_refused(string smtp, string named)
    {
        var (exit, _, err) = await _cli.Run("server", "--auth", "users", "--smtp", smtp, "--mail-from", "mltrack@example.com");
        Assert.NotEqual(0, exit);
        Assert.Contains(named, err);
    }

    [Fact]
    public async Task A_sender_that_is_not_an_email_address_is_refused()
    {
        var (exit, _, err) = await _cli.Run("server", "--auth", "users", "--smtp", "127.0.0.1:25", "--mail-from", "not an address");
        Assert.NotEqual(0, exit);
        Assert.Contains("not an email address", err);
    }

    [Fact]
    public async Task A_public_url_that_is_not_http_is_refused()
    {
        var (exit, _, err) = await _cli.Run("server", "--auth", "users", "--public-url", "ftp://mltrack.example.com/");
        Assert.NotEqual(0, exit);
        Assert.Contains("--public-url", err);
    }
}
