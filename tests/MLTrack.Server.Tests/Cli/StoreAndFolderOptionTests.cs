using MLTrack.Core.Runs;
using MLTrack.Server.Cli;

namespace MLTrack.Server.Tests.Cli;

/// <summary><c>--store</c> as a path or URI, <c>--artifacts</c> and the folder options, as the command line takes them.</summary>
public sealed class StoreAndFolderOptionTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    private static async Task<(int Exit, string Out, string Err)> Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await CliApp.RunAsync(args, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task A_team_server_on_an_unreachable_postgresql_store_exits_non_zero_naming_host_and_port()
    {
        var (exit, stdout, stderr) = await Run("server", "--store", "postgresql://postgres@127.0.0.1:1/x",
            "--artifacts", "s3://bucket/prefix", "--http", "0.0.0.0:0", "--allow-remote");
        Assert.Equal(ExitCodes.Error, exit); // not a usage error: every option parsed
        Assert.Contains("127.0.0.1:1", stderr);
        Assert.Contains("PostgreSQL", stderr);
        Assert.Equal("", stdout);
    }

    [Fact]
    public async Task A_store_uri_of_an_unknown_scheme_is_refused_naming_the_scheme()
    {
        var (exit, _, stderr) = await Run("runs", "--store", "mysql://root@localhost/mltrack");
        Assert.Equal(ExitCodes.Error, exit);
        Assert.Contains("unknown scheme 'mysql://'", stderr);
        Assert.Contains("postgresql://user@host:port/database", stderr);
    }

    [Fact]
    public async Task A_sqlite_uri_store_is_the_same_file_as_its_path()
    {
        using (var store = _cli.OpenStore()) store.CreateRun(new NewRun { Name = "via-path" });
        var (exit, stdout, stderr) = await Run("--store", "sqlite:///" + _cli.StorePath, "runs");
        Assert.True(exit == ExitCodes.Ok, stderr);
        Assert.Contains("via-path", stdout);
    }

    [Fact]
    public async Task An_artifacts_location_of_an_unknown_scheme_is_a_usage_error_naming_the_scheme()
    {
        var (exit, _, stderr) = await _cli.Run("--artifacts", "ftp://host/artifacts", "runs");
        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Contains("unknown scheme 'ftp://'", stderr);
        Assert.Contains("s3://bucket/prefix", stderr);
    }

    [Fact]
    public async Task The_server_keeps_its_token_and_server_json_in_the_state_folder_given()
    {
        var state = Path.Combine(_cli.Dir, "state");
        using var server = _cli.Start("server", "--state-dir", state);
        try
        {
            var url = await server.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
            Assert.StartsWith("http://127.0.0.1:", url);
            Assert.True(File.Exists(Path.Combine(state, "token")));
            Assert.Contains(url!, await File.ReadAllTextAsync(Path.Combine(state, "server.json")));
            Assert.False(File.Exists(Path.Combine(_cli.Dir, ".mltrack", "token")));
            Assert.False(File.Exists(Path.Combine(_cli.Dir, ".mltrack", "server.json")));
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
        }
    }
}
