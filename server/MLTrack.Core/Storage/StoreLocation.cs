using System.Text.RegularExpressions;
using MLTrack.Core.Storage.Postgres;
using MLTrack.Core.Storage.Sqlite;

namespace MLTrack.Core.Storage;

/// <summary>
/// Where a store is, parsed from what people write (<c>--store</c>, <c>$MLTRACK_STORE</c>, an editor's store path):
/// a file path; <c>sqlite:///relative/path.db</c> or <c>sqlite:////absolute/path.db</c> (MLflow's convention, from
/// SQLAlchemy: the path is what follows the third slash); or <c>postgresql://user@host:port/database</c> (also
/// <c>postgres://</c>). Any other scheme is refused, naming it and the accepted forms.
/// </summary>
public sealed partial record StoreLocation
{
    /// <summary>The forms <see cref="Parse"/> accepts, for messages and option help.</summary>
    public const string AcceptedForms = "a file path, sqlite:///relative/path.db, sqlite:////absolute/path.db or postgresql://user@host:port/database";

    private StoreLocation(StoreKind kind, string target, string display)
    {
        Kind = kind;
        Target = target;
        Display = display;
    }

    public StoreKind Kind { get; }

    /// <summary>SQLite: the database file's full path. PostgreSQL: the URI as given (it may hold a password).</summary>
    public string Target { get; }

    /// <summary>For messages: the file's path, or the PostgreSQL target without its password.</summary>
    public string Display { get; }

    /// <summary>The folder holding the SQLite file (the workspace's <c>.mltrack/</c>); null for PostgreSQL.</summary>
    public string? SqliteFolder => Kind == StoreKind.Sqlite ? Path.GetDirectoryName(Target) : null;

    /// <summary>The schema version this build creates and reads for this kind of store.</summary>
    public int SchemaVersion => Kind == StoreKind.Sqlite ? SqliteTrackingStore.SchemaVersion : PostgresTrackingStore.SchemaVersion;

    public static StoreLocation Sqlite(string path, string? baseDirectory = null)
    {
        var full = Path.GetFullPath(path, baseDirectory ?? Environment.CurrentDirectory);
        return new StoreLocation(StoreKind.Sqlite, full, full);
    }

    /// <summary>Parses <paramref name="pathOrUri"/>; a relative path (plain or sqlite:///) is taken from <paramref name="baseDirectory"/> (default: the current folder).</summary>
    /// <exception cref="StoreException">InvalidParameterValue naming what is wrong (unknown scheme, sqlite URI without a path, bad PostgreSQL URI).</exception>
    public static StoreLocation Parse(string pathOrUri, string? baseDirectory = null)
    {
        var text = pathOrUri?.Trim() ?? "";
        if (text.Length == 0) throw Invalid(text, $"it is empty; give {AcceptedForms}");
        var scheme = SchemePattern().Match(text);
        // A one-letter "scheme" is a Windows drive (C://data/mltrack.db).
        if (!scheme.Success || scheme.Groups[1].Length == 1) return Sqlite(text, baseDirectory);
        var name = scheme.Groups[1].Value;
        if (name.Equals("sqlite", StringComparison.OrdinalIgnoreCase)) return ParseSqliteUri(text, text[scheme.Length..], baseDirectory);
        if (PostgresTarget.IsPostgresUri(text))
        {
            var target = PostgresTarget.Parse(text);
            return new StoreLocation(StoreKind.Postgres, text, target.Display);
        }
        throw Invalid(text, $"unknown scheme '{name}://'; give {AcceptedForms}");
    }

    /// <summary>Whether both name the same store (the same file, or the same PostgreSQL URI).</summary>
    public bool SameStore(StoreLocation other) =>
        Kind == other.Kind && string.Equals(Target, other.Target,
            Kind == StoreKind.Sqlite && !OperatingSystem.IsLinux() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);

    public override string ToString() => Display;

    /// <param name="rest">What follows <c>sqlite://</c>: an empty host, then '/', then the path (relative unless it starts with '/' again).</param>
    private static StoreLocation ParseSqliteUri(string uri, string rest, string? baseDirectory)
    {
        if (rest.IndexOfAny(['?', '#']) >= 0) throw Invalid(uri, "query parameters and fragments are not supported in sqlite URIs");
        if (!rest.StartsWith('/'))
            throw Invalid(uri, rest.Length == 0
                ? "it names no file; give sqlite:///relative/path.db or sqlite:////absolute/path.db (an in-memory database is not a store)"
                : $"'{rest.Split('/')[0]}' stands where a sqlite URI has an empty host; write sqlite:///{rest} for a path relative to the current folder, or sqlite:////absolute/path.db");
        var path = Uri.UnescapeDataString(rest[1..]);
        if (path.Length == 0 || path.EndsWith('/'))
            throw Invalid(uri, "it names no file; give sqlite:///relative/path.db or sqlite:////absolute/path.db");
        return Sqlite(path, baseDirectory);
    }

    private static StoreException Invalid(string text, string why) =>
        new(StoreErrorCode.InvalidParameterValue, $"Invalid store '{WithoutPassword(text)}': {why}.");

    /// <summary>The text with the password of a <c>scheme://user:password@host</c> URI masked.</summary>
    private static string WithoutPassword(string text) => PasswordPattern().Replace(text, "$1:***@");

    [GeneratedRegex(@"^([A-Za-z][A-Za-z0-9+.\-]*)://")]
    private static partial Regex SchemePattern();

    [GeneratedRegex(@"^([A-Za-z][A-Za-z0-9+.\-]*://[^/:@]*):[^/@]*@")]
    private static partial Regex PasswordPattern();
}
