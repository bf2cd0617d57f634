namespace MLTrack.Core.Storage;

/// <summary>How <see cref="StoreFactory"/> opens a store. Every setting is optional; the defaults are the product's.</summary>
public sealed record StoreOpenOptions
{
    /// <summary>
    /// Folder under which each run's artifacts live. Default: <c>artifacts/</c> beside a SQLite file; for PostgreSQL
    /// <c>artifacts/</c> in the per-user state folder (<see cref="Workspace.UserStateFolder"/>).
    /// </summary>
    public string? ArtifactRoot { get; init; }

    /// <summary>Folder a relative path (plain or <c>sqlite:///</c>) is taken from; default the current folder.</summary>
    public string? BaseDirectory { get; init; }

    /// <summary>SQLite only: how long a write waits while another process holds the file's write lock (default 10 s).</summary>
    public TimeSpan? BusyTimeout { get; init; }

    /// <summary>Receives notes for the user about the opening (e.g. an older store folder made owner-only).</summary>
    public Action<string>? Notice { get; init; }
}
