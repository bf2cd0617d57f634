using MLTrack.Core.Storage;
using MLTrack.Core.Workspace;

namespace MLTrack.Core.Tests.Workspace;

/// <summary>The store a command uses when <c>--store</c> is a path, a URI, or not given.</summary>
public sealed class WorkspaceLocatorStoreTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mltrack-locator-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Without_an_option_the_store_is_the_workspace_file()
    {
        Directory.CreateDirectory(Path.Combine(_dir, ".mltrack"));
        var sub = Directory.CreateDirectory(Path.Combine(_dir, "src", "deep")).FullName;
        var location = WorkspaceLocator.ResolveStore(null, sub);
        Assert.Equal(Path.Combine(_dir, ".mltrack", "mltrack.db"), location.Target);
    }

    [Fact]
    public void A_relative_path_option_is_taken_from_the_start_folder()
    {
        Assert.Equal(Path.Combine(_dir, "x.db"), WorkspaceLocator.ResolveStore("x.db", _dir).Target);
    }

    [Fact]
    public void A_postgresql_option_is_a_postgres_store_untouched_by_the_start_folder()
    {
        var location = WorkspaceLocator.ResolveStore("postgresql://team@db:5432/mltrack", _dir);
        Assert.Equal(StoreKind.Postgres, location.Kind);
        Assert.Equal("postgresql://team@db:5432/mltrack", location.Target);
    }

    [Fact]
    public void A_sqlite_uri_option_is_relative_to_the_start_folder()
    {
        Assert.Equal(Path.Combine(_dir, "runs.db"), WorkspaceLocator.ResolveStore("sqlite:///runs.db", _dir).Target);
    }
}
