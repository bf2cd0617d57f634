using System.Diagnostics;
using System.Net;
using System.Text.Json;
using MLTrack.Core.Storage.Sqlite;
using MLTrack.Server.Cli;
using MLTrack.Server.Http;

namespace MLTrack.Server.Tests.Http;

/// <summary>Starting and stopping: the token file, server.json, finding a running server, refusing unsafe or duplicate starts.</summary>
public sealed class ServerLifecycleTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "mltrack-life-" + Guid.NewGuid().ToString("N"));
    private readonly SqliteTrackingStore _store;

    public ServerLifecycleTests()
    {
        Directory.CreateDirectory(MltrackDir);
        _store = SqliteTrackingStore.Open(Path.Combine(MltrackDir, "mltrack.db"));
    }

    private string MltrackDir => Path.Combine(_root, ".mltrack");
    private string ServerJson => Path.Combine(MltrackDir, "server.json");

    public void Dispose()
    {
        _store.Dispose();
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
    }

    private Task<TrackingServer> Start(TrackingServerOptions? options = null) =>
        TrackingServer.StartAsync(_store, (options ?? new TrackingServerOptions()) with { MltrackDirectory = MltrackDir, Log = options?.Log ?? TextWriter.Null });

    [Fact]
    public void The_token_file_is_created_with_mode_0600()
    {
        var token = TokenFile.LoadOrCreate(MltrackDir);

        Assert.Equal(64, token.Length);
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(TokenFile.PathIn(MltrackDir)));
    }

    [Fact]
    public void The_token_is_kept_across_loads()
    {
        Assert.Equal(TokenFile.LoadOrCreate(MltrackDir), TokenFile.LoadOrCreate(MltrackDir));
    }

    [Fact]
    public void A_token_file_with_loose_permissions_is_tightened_to_0600()
    {
        if (OperatingSystem.IsWindows()) return;
        File.WriteAllText(TokenFile.PathIn(MltrackDir), "sometoken");
        File.SetUnixFileMode(TokenFile.PathIn(MltrackDir), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);

        Assert.Equal("sometoken", TokenFile.LoadOrCreate(MltrackDir));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(TokenFile.PathIn(MltrackDir)));
    }

    [Fact]
    public async Task The_server_uses_the_store_token()
    {
        await using var server = await Start();

        Assert.Equal(File.ReadAllText(TokenFile.PathIn(MltrackDir)).Trim(), server.Token);
    }

    [Fact]
    public async Task Server_json_is_written_while_running_and_removed_on_dispose()
    {
        var server = await Start();
        using (var doc = JsonDocument.Parse(File.ReadAllText(ServerJson)))
        {
            var json = doc.RootElement;
            Assert.Equal(server.BaseAddress.ToString().TrimEnd('/'), json.GetProperty("url").GetString());
            Assert.Equal(Environment.ProcessId, json.GetProperty("pid").GetInt32());
            Assert.Equal(_store.Location, json.GetProperty("store").GetString());
            Assert.True(DateTimeOffset.TryParse(json.GetProperty("started").GetString(), out _));
        }

        await server.DisposeAsync();

        Assert.False(File.Exists(ServerJson));
    }

    [Fact]
    public async Task The_server_binds_loopback_on_a_free_port_by_default()
    {
        await using var server = await Start();

        Assert.Equal("127.0.0.1", server.BaseAddress.Host);
        Assert.NotEqual(0, server.BaseAddress.Port);
    }

    [Fact]
    public async Task FindRunning_returns_the_live_server()
    {
        await using var server = await Start();

        var found = TrackingServer.FindRunning(MltrackDir);

        Assert.NotNull(found);
        Assert.Equal(server.BaseAddress, found.Url);
        Assert.Equal(Environment.ProcessId, found.Pid);
    }

    [Fact]
    public void FindRunning_ignores_a_server_json_whose_process_is_gone()
    {
        using var dead = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        dead.WaitForExit();
        File.WriteAllText(ServerJson, $$"""{"url":"http://127.0.0.1:1","pid":{{dead.Id}},"store":"x","started":"2024-01-01T00:00:00Z"}""");

        Assert.Null(TrackingServer.FindRunning(MltrackDir));
    }

    [Fact]
    public async Task FindRunning_ignores_a_server_json_whose_server_does_not_answer()
    {
        var server = await Start();
        var url = server.BaseAddress;
        await server.DisposeAsync();
        File.WriteAllText(ServerJson, $$"""{"url":"{{url}}","pid":{{Environment.ProcessId}},"store":"x","started":"2024-01-01T00:00:00Z"}""");

        Assert.Null(TrackingServer.FindRunning(MltrackDir));
    }

    [Fact]
    public void FindRunning_ignores_a_corrupt_or_missing_server_json()
    {
        Assert.Null(TrackingServer.FindRunning(MltrackDir));
        File.WriteAllText(ServerJson, "{not json");
        Assert.Null(TrackingServer.FindRunning(MltrackDir));
    }

    [Fact]
    public async Task A_second_server_for_the_same_store_is_refused_while_the_first_runs()
    {
        await using var first = await Start();

        var e = await Assert.ThrowsAsync<ServerAlreadyRunningException>(() => Start());

        Assert.Contains(first.BaseAddress.ToString().TrimEnd('/'), e.Message);
    }

    [Fact]
    public async Task A_non_loopback_address_is_refused_unless_allowed()
    {
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => Start(new TrackingServerOptions { Bind = BindAddress.Parse("0.0.0.0:0") }));

        Assert.Contains("--allow-remote", e.Message);
        Assert.False(File.Exists(ServerJson));
    }

    [Fact]
    public async Task A_non_loopback_address_allowed_explicitly_starts_with_a_warning()
    {
        var log = new StringWriter();

        await using var server = await Start(new TrackingServerOptions { Bind = BindAddress.Parse("0.0.0.0:0"), AllowRemote = true, Log = log });

        Assert.Contains("warning", log.ToString());
        using var client = new HttpClient { BaseAddress = server.BaseAddress };
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("health")).StatusCode);
    }

    [Theory]
    [InlineData("127.0.0.1:5000", "127.0.0.1", 5000, true)]
    [InlineData("localhost:0", "127.0.0.1", 0, true)]
    [InlineData("[::1]:8080", "::1", 8080, true)]
    [InlineData("0.0.0.0:80", "0.0.0.0", 80, false)]
    [InlineData("5001", "127.0.0.1", 5001, true)]
    [InlineData("http://127.0.0.1:5002", "127.0.0.1", 5002, true)]
    public void Bind_addresses_parse(string text, string address, int port, bool loopback)
    {
        var bind = BindAddress.Parse(text);

        Assert.Equal(address, bind.Address.ToString());
        Assert.Equal(port, bind.Port);
        Assert.Equal(loopback, bind.IsLoopback);
    }

    [Theory]
    [InlineData("example.com:80")]
    [InlineData("127.0.0.1:99999")]
    [InlineData("127.0.0.1:http")]
    public void Bad_bind_addresses_are_refused(string text)
    {
        Assert.Throws<FormatException>(() => BindAddress.Parse(text));
    }

    [Fact]
    public async Task The_server_command_refuses_to_start_when_a_live_server_serves_the_store_and_prints_its_url()
    {
        await using var server = await Start();
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        var code = await CliApp.RunAsync(["--store", _store.Location, "server"], stdout, stderr);

        Assert.Equal(ExitCodes.Error, code);
        Assert.Contains(server.BaseAddress.ToString().TrimEnd('/'), stdout.ToString());
        Assert.Contains("already running", stderr.ToString());
    }
}
