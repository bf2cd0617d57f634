using System.Runtime.Versioning;
using MLTrack.Core.Runs;
using MLTrack.Core.Storage;
using MLTrack.Core.Storage.Sqlite;

namespace MLTrack.Core.Tests.Storage;

/// <summary>
/// Another local user must not read a store (params, diffs, logs): the .mltrack folder is 0700 and its files 0600
/// whatever the umask, and a store left world-readable by an older MLTrack is tightened on open, with a note.
/// </summary>
[UnsupportedOSPlatform("windows")] // POSIX modes; Windows stores rely on the profile's ACLs
public sealed class StorePermissionsTests : IDisposable
{
    private const UnixFileMode GroupAndOther = (UnixFileMode)0b000_111_111;
    private readonly string _dir = Directory.CreateTempSubdirectory("mltrack-perms-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string StoreFolder => Path.Combine(_dir, ".mltrack");
    private string DbPath => Path.Combine(StoreFolder, "mltrack.db");

    private static UnixFileMode Mode(string path) => File.GetUnixFileMode(path);

    [Fact]
    public void A_new_store_folder_is_owner_only()
    {
        using var store = SqliteTrackingStore.Open(DbPath);
        Assert.Equal(StorePermissions.FolderMode, Mode(StoreFolder));
    }

    [Fact]
    public void A_new_database_and_its_wal_files_are_owner_only()
    {
        using (var store = SqliteTrackingStore.Open(DbPath))
        {
            store.CreateRun(new NewRun { Name = "r" });
            foreach (var file in new[] { DbPath, DbPath + "-wal", DbPath + "-shm" }.Where(File.Exists))
                Assert.True((Mode(file) & GroupAndOther) == 0, $"{Path.GetFileName(file)} is {Mode(file)}");
            Assert.True(File.Exists(DbPath + "-wal"), "the WAL file exists while the store is open");
        }
    }

    [Fact]
    public void A_new_store_gives_no_permission_note()
    {
        using var store = SqliteTrackingStore.Open(DbPath);
        Assert.Null(store.PermissionNote);
    }

    [Fact]
    public void A_world_readable_store_is_tightened_on_open_with_a_note()
    {
        using (SqliteTrackingStore.Open(DbPath)) { }
        var logs = Path.Combine(StoreFolder, "artifacts", "run1", "logs");
        Directory.CreateDirectory(logs);
        var log = Path.Combine(logs, "output.log");
        File.WriteAllText(log, "secret");
        var loose = (UnixFileMode)0b111_101_101; // 0755
        foreach (var d in new[] { StoreFolder, Path.Combine(StoreFolder, "artifacts"), logs }) File.SetUnixFileMode(d, loose);
        File.SetUnixFileMode(log, (UnixFileMode)0b110_100_100); // 0644
        File.SetUnixFileMode(DbPath, (UnixFileMode)0b110_100_100);

        using var store = SqliteTrackingStore.Open(DbPath);

        Assert.NotNull(store.PermissionNote);
        Assert.Contains("0755", store.PermissionNote);
        Assert.Contains("owner-only", store.PermissionNote);
        Assert.Equal(StorePermissions.FolderMode, Mode(StoreFolder));
        Assert.Equal(StorePermissions.FolderMode, Mode(logs));
        Assert.Equal(StorePermissions.FileMode, Mode(log));
        Assert.Equal(StorePermissions.FileMode, Mode(DbPath));
    }

    [Fact]
    public void Tightening_keeps_the_owners_execute_bit()
    {
        using (SqliteTrackingStore.Open(DbPath)) { }
        var script = Path.Combine(StoreFolder, "predict.sh");
        File.WriteAllText(script, "#!/bin/sh\n");
        File.SetUnixFileMode(script, (UnixFileMode)0b111_101_101);
        File.SetUnixFileMode(StoreFolder, (UnixFileMode)0b111_101_101);

        using (SqliteTrackingStore.Open(DbPath)) { }

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, Mode(script));
    }

    [Fact]
    public void A_store_file_outside_a_dot_mltrack_folder_leaves_that_folder_alone()
    {
        var folder = Path.Combine(_dir, "my-data");
        Directory.CreateDirectory(folder);
        File.SetUnixFileMode(folder, (UnixFileMode)0b111_101_101);
        var mine = Path.Combine(folder, "notes.txt");
        File.WriteAllText(mine, "the user's own file");
        File.SetUnixFileMode(mine, (UnixFileMode)0b110_100_100);

        using (SqliteTrackingStore.Open(Path.Combine(folder, "runs.db"))) { }

        Assert.Equal((UnixFileMode)0b111_101_101, Mode(folder));
        Assert.Equal((UnixFileMode)0b110_100_100, Mode(mine));
        Assert.Equal(StorePermissions.FileMode, Mode(Path.Combine(folder, "runs.db")));
    }
}
