using MLTrack.Core.Storage.Sqlite;

namespace MLTrack.Core.Tests.Launch;

/// <summary>A SQLite store in a fresh temp folder, deleted on dispose.</summary>
public sealed class TempStore : IDisposable
{
    public TempStore()
    {
        Folder = Path.Combine(Path.GetTempPath(), "mltrack-launch-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
        Store = SqliteTrackingStore.Open(Path.Combine(Folder, "mltrack.db"));
    }

    public string Folder { get; }
    public SqliteTrackingStore Store { get; }

    public void Dispose()
    {
        Store.Dispose();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
