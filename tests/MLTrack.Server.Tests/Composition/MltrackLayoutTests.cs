using MLTrack.Core.Storage;
using MLTrack.Server.Composition;

namespace MLTrack.Server.Tests.Composition;

/// <summary>Where each of MLTrack's folders is for a given store and settings.</summary>
public sealed class MltrackLayoutTests
{
    private static readonly string Workspace = Path.Combine(Path.GetTempPath(), "mltrack-layout-ws");
    private static readonly string MltrackDir = Path.Combine(Workspace, ".mltrack");
    private static readonly StoreLocation WorkspaceStore = StoreLocation.Sqlite(Path.Combine(MltrackDir, "mltrack.db"));

    private static Func<string, string?> Env(params (string Name, string Value)[] vars) =>
        name => vars.FirstOrDefault(v => v.Name == name).Value;

    [Fact]
    public void For_a_sqlite_store_every_folder_is_where_it_was_beside_the_database()
    {
        var layout = MltrackLayout.Resolve(new MltrackSettings { Store = WorkspaceStore });
        Assert.Equal(MltrackDir, layout.StateFolder);
        Assert.Equal(Path.Combine(MltrackDir, "reports"), layout.ReportsFolder);
        Assert.Equal(Path.Combine(MltrackDir, "deployments"), layout.DeploymentsFolder);
        Assert.Equal(Path.Combine(MltrackDir, "token"), layout.TokenFile);
        Assert.Equal(Path.Combine(MltrackDir, "artifacts"), layout.ArtifactRoot);
        Assert.Equal(MltrackDir, layout.ServerFolder);
        Assert.Same(ArtifactLocation.None, layout.Artifacts);
    }

    [Fact]
    public void Explicit_folders_are_honoured_relative_to_the_base_folder()
    {
        var layout = MltrackLayout.Resolve(new MltrackSettings
        {
            Store = WorkspaceStore,
            ReportsFolder = "out/reports",
            DeploymentsFolder = "/srv/deploy",
            TokenFile = "secrets/tok",
            BaseDirectory = "/base",
        });
        Assert.Equal(Path.GetFullPath("/base/out/reports"), layout.ReportsFolder);
        Assert.Equal(Path.GetFullPath("/srv/deploy"), layout.DeploymentsFolder);
        Assert.Equal(Path.GetFullPath("/base/secrets/tok"), layout.TokenFile);
        Assert.Equal(MltrackDir, layout.ServerFolder);
    }

    [Fact]
    public void A_state_folder_moves_the_token_reports_deployments_and_server_files_but_not_a_sqlite_stores_artifacts()
    {
        var layout = MltrackLayout.Resolve(new MltrackSettings { Store = WorkspaceStore, StateFolder = "/var/lib/mltrack" });
        var state = Path.GetFullPath("/var/lib/mltrack");
        Assert.Equal((state, state), (layout.StateFolder, layout.ServerFolder));
        Assert.Equal(Path.Combine(state, "reports"), layout.ReportsFolder);
        Assert.Equal(Path.Combine(state, "deployments"), layout.DeploymentsFolder);
        Assert.Equal(Path.Combine(state, "token"), layout.TokenFile);
        Assert.Equal(Path.Combine(MltrackDir, "artifacts"), layout.ArtifactRoot);
    }

    [Fact]
    public void For_a_postgresql_store_the_folders_are_in_the_user_state_folder_and_there_is_no_server_lock()
    {
        if (OperatingSystem.IsWindows()) return; // LocalApplicationData there
        var layout = MltrackLayout.Resolve(new MltrackSettings
        {
            Store = StoreLocation.Parse("postgresql://team@db:5432/mltrack"),
            Environment = Env(("XDG_STATE_HOME", "/state"), ("HOME", "/home/u")),
        });
        Assert.Equal("/state/mltrack", layout.StateFolder);
        Assert.Equal("/state/mltrack/reports", layout.ReportsFolder);
        Assert.Equal("/state/mltrack/deployments", layout.DeploymentsFolder);
        Assert.Equal("/state/mltrack/token", layout.TokenFile);
        Assert.Equal("/state/mltrack/artifacts", layout.ArtifactRoot);
        Assert.Null(layout.ServerFolder);
    }

    [Fact]
    public void An_artifact_folder_becomes_the_artifact_root()
    {
        var layout = MltrackLayout.Resolve(new MltrackSettings { Store = WorkspaceStore, Artifacts = "shared/artifacts", BaseDirectory = "/base" });
        Assert.Equal(Path.GetFullPath("/base/shared/artifacts"), layout.ArtifactRoot);
        Assert.Null(layout.Artifacts.S3Uri);
    }

    [Fact]
    public void A_file_uri_names_the_artifact_folder()
    {
        if (OperatingSystem.IsWindows()) return;
        var layout = MltrackLayout.Resolve(new MltrackSettings { Store = WorkspaceStore, Artifacts = "file:///srv/artifacts" });
        Assert.Equal("/srv/artifacts", layout.ArtifactRoot);
    }

    [Fact]
    public void An_s3_location_is_kept_behind_the_default_local_folder()
    {
        var layout = MltrackLayout.Resolve(new MltrackSettings { Store = WorkspaceStore, Artifacts = "s3://bucket/team/a/" });
        Assert.Equal("s3://bucket/team/a", layout.Artifacts.S3Uri);
        Assert.Equal(Path.Combine(MltrackDir, "artifacts"), layout.ArtifactRoot);
    }

    [Theory]
    [InlineData("ftp://host/artifacts", "unknown scheme 'ftp://'")]
    [InlineData("s3://", "names no bucket")]
    [InlineData("file://fileserver/share", "local absolute path")]
    public void An_artifact_location_that_cannot_be_used_is_refused_saying_why(string artifacts, string why)
    {
        var e = Assert.Throws<SettingsException>(() => MltrackLayout.Resolve(new MltrackSettings { Store = WorkspaceStore, Artifacts = artifacts }));
        Assert.Contains(why, e.Message);
    }

    [Fact]
    public void Without_a_store_resolving_says_how_to_give_one()
    {
        var e = Assert.Throws<SettingsException>(() => MltrackLayout.Resolve(new MltrackSettings()));
        Assert.Contains("--store", e.Message);
    }
}
