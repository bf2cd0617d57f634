using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MLTrack.Core.Storage.Postgres;
using MLTrack.Server.Cli;
using MLTrack.Server.Tests.Composition;
using Npgsql;

namespace MLTrack.Server.Tests.Cli;

/// <summary>
/// <c>mltrack server --store postgresql://…</c> when the database cannot be used: it exits with 1 at once, and stderr
/// says which server (host:port) and what about it (the database, the user, the schema) is wrong. A wrong password
/// is not tested: the test cluster trusts every local connection, so it never asks for one.
/// </summary>
public sealed class TeamServerStartFaultTests : IDisposable
{
    /// <summary>Far below a minute-long hang, above Npgsql's 5 s connect timeout plus a busy machine's start-up.</summary>
    private static readonly TimeSpan Quickly = TimeSpan.FromSeconds(20);

    private readonly string _state = Directory.CreateTempSubdirectory("mltrack-team-start-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_state, recursive: true); } catch (IOException) { }
    }

    private async Task<(int Exit, string Out, string Err, TimeSpan Took)> Server(string storeUri)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var took = Stopwatch.StartNew();
        var exit = await CliApp.RunAsync(["server", "--store", storeUri, "--state-dir", _state, "--artifacts", Path.Combine(_state, "artifacts")], stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString(), took.Elapsed);
    }

    private static string Cluster()
    {
        var uri = Environment.GetEnvironmentVariable("MLTRACK_TEST_POSTGRES");
        Assert.False(string.IsNullOrEmpty(uri), "MLTRACK_TEST_POSTGRES is not set: run ./test.sh, or start a cluster with tests/postgres/cluster.sh and export its URI.");
        return uri!;
    }

    private static string WithDatabase(string uri, string database) => new UriBuilder(uri) { Path = "/" + database }.Uri.ToString();

    private static string WithUser(string uri, string user) => new UriBuilder(uri) { UserName = user }.Uri.ToString();

    [Fact]
    public async Task A_database_that_does_not_exist_is_named_with_host_and_port_and_the_server_exits_1()
    {
        var cluster = new Uri(Cluster());
        var missing = "no_such_db_" + Guid.NewGuid().ToString("N")[..8];

        var (exit, stdout, stderr, took) = await Server(WithDatabase(Cluster(), missing));

        Assert.Equal(ExitCodes.Error, exit);
        Assert.Contains($"{cluster.Host}:{cluster.Port}", stderr);
        Assert.Contains($"has no database '{missing}'", stderr);
        Assert.Equal("", stdout); // no URL: nothing listens
        Assert.True(took < Quickly, $"took {took}");
    }

    [Fact]
    public async Task A_user_the_database_does_not_know_is_named_with_host_and_port_and_the_server_exits_1()
    {
        var cluster = new Uri(Cluster());

        var (exit, stdout, stderr, took) = await Server(WithUser(Cluster(), "nobody_here"));

        Assert.Equal(ExitCodes.Error, exit);
        Assert.Contains($"{cluster.Host}:{cluster.Port}", stderr);
        Assert.Contains("refused the credentials of 'nobody_here'", stderr);
        Assert.Equal("", stdout);
        Assert.True(took < Quickly, $"took {took}");
    }

    [Fact]
    public async Task A_password_in_the_store_uri_is_never_printed()
    {
        var (exit, _, stderr, _) = await Server(WithDatabase(WithUser(Cluster(), "postgres:s3cret-pw"), "no_such_db_" + Guid.NewGuid().ToString("N")[..8]));

        Assert.Equal(ExitCodes.Error, exit);
        Assert.DoesNotContain("s3cret-pw", stderr);
    }

    [Fact]
    public async Task A_port_that_accepts_connections_but_never_answers_is_given_up_within_seconds_naming_host_and_port()
    {
        // A hung server or a firewall that swallows packets: TCP connects, PostgreSQL's handshake never comes.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        var held = new List<TcpClient>();
        using var stop = new CancellationTokenSource();
        var accepting = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested) held.Add(await silent.AcceptTcpClientAsync(stop.Token));
        });

        var (exit, _, stderr, took) = await Server($"postgresql://postgres@127.0.0.1:{port}/mltrack");

        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => accepting);
        foreach (var c in held) c.Dispose();
        Assert.Equal(ExitCodes.Error, exit);
        Assert.Contains($"127.0.0.1:{port}", stderr);
        Assert.Contains("did not answer in time", stderr);
        Assert.True(took < Quickly, $"took {took}");
    }

    [Fact]
    public async Task A_database_migrated_by_a_newer_MLTrack_is_refused_at_start_naming_both_versions()
    {
        using var database = TemporaryPostgresDatabase.Create();
        PostgresTrackingStore.Open(database.Uri, Path.Combine(_state, "artifacts")).Dispose(); // migrated by this build
        var newer = PostgresTrackingStore.SchemaVersion + 1;
        Execute(database.Uri, $"INSERT INTO mltrack_migrations (version, name) VALUES ({newer}, 'from_a_newer_mltrack')");

        var (exit, stdout, stderr, _) = await Server(database.Uri);

        Assert.Equal(ExitCodes.Error, exit);
        Assert.Contains($"has schema version {newer}, newer than this MLTrack supports ({PostgresTrackingStore.SchemaVersion})", stderr);
        Assert.Contains(database.Name, stderr);
        Assert.Equal("", stdout);
    }

    internal static void Execute(string uri, string sql)
    {
        using var c = new NpgsqlConnection(PostgresTarget.Parse(uri).ConnectionString);
        c.Open();
        using var cmd = new NpgsqlCommand(sql, c);
        cmd.ExecuteNonQuery();
    }
}
