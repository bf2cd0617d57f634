using MLTrack.Core.Reports;
using MLTrack.Core.Runs;
using MLTrack.Core.Storage;
using MLTrack.Server.Composition;
using MLTrack.Server.Http;

namespace MLTrack.Server.Tests.Composition;

/// <summary>What the composition root builds, and where the things it builds keep their files.</summary>
public sealed class MltrackRootTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mltrack-root-").FullName;
    private string MltrackDir => Path.Combine(_dir, ".mltrack");
    private StoreLocation Store => StoreLocation.Sqlite(Path.Combine(MltrackDir, "mltrack.db"));

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
        return Task.CompletedTask;
    }

    [Fact]
    public async Task For_a_sqlite_store_the_services_use_the_folders_beside_the_database_as_before()
    {
        await using var root = MltrackRoot.Open(new MltrackSettings { Store = Store });
        Assert.Equal(Path.Combine(MltrackDir, "mltrack.db"), root.Store.Location);
        Assert.Equal(Path.Combine(MltrackDir, "artifacts"), root.Store.ArtifactRoot);
        Assert.Equal(Path.Combine(MltrackDir, "reports"), root.Reports().Root);
        Assert.Equal(Path.Combine(MltrackDir, "deployments"), root.Deployments.WorkRoot);
        var options = root.ServerOptions();
        Assert.Equal(MltrackDir, options.MltrackDirectory);
        Assert.Equal(TokenFile.LoadOrCreate(MltrackDir), options.Token);
        Assert.IsType<MLTrack.Core.Artifacts.Local.LocalArtifactStore>(options.Artifacts);
        Assert.Equal(new Uri(Path.Combine(MltrackDir, "artifacts")).AbsoluteUri, options.Artifacts!.Location);
    }

    [Fact]
    public async Task A_report_is_written_to_the_reports_folder_setting()
    {
        var reports = Path.Combine(_dir, "elsewhere", "reports");
        await using var root = MltrackRoot.Open(new MltrackSettings { Store = Store, ReportsFolder = reports });
        root.Store.CreateRun(new NewRun { Name = "r" });
        var record = root.Reports().Generate(new ReportRequest { Type = ReportType.Executive, Preset = "30d" });
        Assert.True(File.Exists(Path.Combine(reports, record.ReportId, ReportService.HtmlFile)));
        Assert.False(Directory.Exists(Path.Combine(MltrackDir, "reports")));
    }

    [Fact]
    public async Task The_token_comes_from_the_token_file_setting()
    {
        var tokenFile = Path.Combine(_dir, "secrets", "mltrack-token");
        Directory.CreateDirectory(Path.GetDirectoryName(tokenFile)!);
        await File.WriteAllTextAsync(tokenFile, "team-token\n");
        await using var root = MltrackRoot.Open(new MltrackSettings { Store = Store, TokenFile = tokenFile });
        Assert.Equal("team-token", root.ServerOptions().Token);
        Assert.False(File.Exists(Path.Combine(MltrackDir, "token")));
    }

    [Fact]
    public async Task The_deployment_service_is_one_instance_per_root()
    {
        await using var root = MltrackRoot.Open(new MltrackSettings { Store = Store });
        Assert.Same(root.Deployments, root.Deployments);
        Assert.Same(root.Deployments, root.ServerOptions().Deployments!.Value);
    }

    [Fact]
    public async Task An_s3_artifact_setting_gives_the_server_and_the_launcher_the_s3_artifact_store()
    {
        await using var root = MltrackRoot.Open(new MltrackSettings
        {
            Store = Store,
            Artifacts = "s3://bucket/prefix",
            Environment = name => name switch
            {
                "AWS_ENDPOINT_URL" => "http://127.0.0.1:1",
                "AWS_ACCESS_KEY_ID" or "AWS_SECRET_ACCESS_KEY" => "k",
                "AWS_REGION" => "us-east-1",
                _ => null,
            },
        });
        Assert.IsType<MLTrack.Core.Artifacts.S3.S3ArtifactStore>(root.Artifacts);
        Assert.Equal("s3://bucket/prefix", root.Artifacts.Location);
        Assert.Same(root.Artifacts, root.ServerOptions().Artifacts);
    }
}
