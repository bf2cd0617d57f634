using Microsoft.Data.Sqlite;

namespace MLTrack.Core.Storage.Sqlite;

/// <summary>
/// Opens connections to one store file: checks the file is really an SQLite database before touching it, applies
/// migrations once, and turns SQLite failures into <see cref="StoreException"/>s that name the file.
/// </summary>
internal sealed class SqliteDatabase
{
    private static readonly byte[] SqliteHeader = "SQLite format 3\0"u8.ToArray();
    private readonly string _connectionString;

    public string Path { get; }

    /// <summary>Set when opening had to make an older, world-readable store owner-only: a note for the user.</summary>
    public string? PermissionNote { get; private set; }

    /// <summary>How long a write waits for another process's write lock before failing with "locked".</summary>
    public static readonly TimeSpan DefaultBusyTimeout = TimeSpan.FromSeconds(10);

    private SqliteDatabase(string path, TimeSpan busyTimeout)
    {
        Path = path;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = Math.Max(1, (int)Math.Ceiling(busyTimeout.TotalSeconds)), // retried while another process writes
        }.ToString();
    }

    public static SqliteDatabase OpenOrCreate(string path, TimeSpan? busyTimeout = null)
    {
        path = System.IO.Path.GetFullPath(path);
        CheckIsSqliteOrAbsent(path);
        var dir = System.IO.Path.GetDirectoryName(path)!;
        try
        {
            StorePermissions.CreateFolder(dir);
            StorePermissions.CreateFile(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StoreException(StoreErrorCode.StoreUnavailable, $"Cannot create the store folder '{dir}': {e.Message}", e);
        }
        var db = new SqliteDatabase(path, busyTimeout ?? DefaultBusyTimeout) { PermissionNote = StorePermissions.Tighten(path) };
        db.Guard(() =>
        {
            using var c = db.Open();
            Execute(c, "PRAGMA journal_mode=WAL;");
            SqliteMigrator.Migrate(c, path);
        });
        return db;
    }

    /// <summary>A pooled connection with the per-connection settings every query relies on.</summary>
    public SqliteConnection Open()
    {
        var c = new SqliteConnection(_connectionString);
        c.Open();
        // LIKE is case-sensitive in MLflow's filter language (ILIKE is the insensitive one).
        // NORMAL in WAL mode: a commit survives a crash of any process; only power loss can drop the last commits.
        Execute(c, "PRAGMA case_sensitive_like=ON; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;");
        return c;
    }

    public T Guard<T>(Func<T> action)
    {
        try
        {
            return action();
        }
        catch (SqliteException e)
        {
            throw Translate(e);
        }
    }

    public void Guard(Action action) => Guard(() => { action(); return 0; });

    // Each message twice: with the file's path for the CLI and logs, and without it for a server's clients.
    private StoreException Translate(SqliteException e) => e.SqliteErrorCode switch
    {
        5 or 6 => Unavailable(e, $"is locked by another process; try again when it finishes. ({e.Message})"),
        8 => Unavailable(e, $"is read-only: check the file's and its folder's permissions. ({e.Message})"),
        14 => Unavailable(e, $"cannot be opened: check the path and permissions. ({e.Message})"),
        26 => Unavailable(e, "is not an MLTrack store (not an SQLite database)."),
        11 => Unavailable(e, $"is corrupt. ({e.Message})"),
        _ => Unavailable(e, $"failed: {e.Message}"),
    };

    private StoreException Unavailable(SqliteException e, string what) =>
        new(StoreErrorCode.StoreUnavailable, $"The store '{Path}' {what}", e, $"The store {what}");

    internal static void Execute(SqliteConnection c, string sql)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    // Refuse a foreign file before SQLite opens it: opening in WAL mode would add -wal/-shm files beside it.
    private static void CheckIsSqliteOrAbsent(string path)
    {
        if (Directory.Exists(path))
            throw new StoreException(StoreErrorCode.StoreUnavailable, $"The store path '{path}' is a folder, not a file.");
        if (!File.Exists(path)) return;
        try
        {
            using var f = File.OpenRead(path);
            if (f.Length == 0) return;
            Span<byte> header = stackalloc byte[16];
            if (f.ReadAtLeast(header, 16, throwOnEndOfStream: false) < 16 || !header.SequenceEqual(SqliteHeader))
                throw new StoreException(StoreErrorCode.StoreUnavailable, $"'{path}' is not an MLTrack store (not an SQLite database); it was left untouched.");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StoreException(StoreErrorCode.StoreUnavailable, $"Cannot read the store '{path}': {e.Message}", e);
        }
    }
}
