using Microsoft.Data.Sqlite;
using MLTrack.Core.Storage;
using MLTrack.Core.Storage.Sqlite;

namespace MLTrack.Core.Tests.Storage;

public sealed class StoreErrorMessageTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mltrack-store-errors-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public void A_store_failure_names_the_file_for_the_log_but_not_in_the_message_for_clients()
    {
        var path = Path.Combine(_dir, "mltrack.db");
        using var store = SqliteTrackingStore.Open(path, busyTimeout: TimeSpan.FromMilliseconds(100));
        using var blocker = new SqliteConnection($"Data Source={path}");
        blocker.Open();
        using (var begin = blocker.CreateCommand())
        {
            begin.CommandText = "BEGIN EXCLUSIVE";
            begin.ExecuteNonQuery();
        }

        var e = Assert.Throws<StoreException>(() => store.CreateExperiment("x"));

        Assert.Equal(StoreErrorCode.StoreUnavailable, e.Code);
        Assert.Contains(path, e.Message);
        Assert.Contains("locked by another process", e.ClientMessage);
        Assert.DoesNotContain(_dir, e.ClientMessage);
    }
}
