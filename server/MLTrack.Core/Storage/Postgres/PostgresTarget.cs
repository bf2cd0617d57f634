using Npgsql;

namespace MLTrack.Core.Storage.Postgres;

/// <summary>
/// A <c>postgresql://user[:password]@host[:port]/database[?param=value…]</c> URI as Npgsql settings, plus the
/// target as people read it (never the password). Query parameters pass through under Npgsql's names
/// (<c>sslmode</c>, <c>host</c> for a socket folder, <c>application_name</c>, …).
/// </summary>
public sealed record PostgresTarget(string ConnectionString, string Host, int Port, string Database, string User)
{
    /// <summary>host:port/database as user, for messages.</summary>
    public string Display => $"postgresql://{User}@{Host}:{Port}/{Database}";

    public static bool IsPostgresUri(string text) =>
        text.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase) || text.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase);

    /// <exception cref="StoreException">InvalidParameterValue naming what is wrong with the URI.</exception>
    public static PostgresTarget Parse(string uri)
    {
        if (!IsPostgresUri(uri) || !Uri.TryCreate(uri, UriKind.Absolute, out var u))
            throw Invalid(uri, "expected postgresql://user@host:port/database");
        var database = Uri.UnescapeDataString(u.AbsolutePath.Trim('/'));
        if (database.Length == 0 || database.Contains('/')) throw Invalid(uri, "the database name is missing after the host (…/database)");
        var b = new NpgsqlConnectionStringBuilder
        {
            Host = u.Host.Length > 0 ? u.Host : "127.0.0.1",
            Port = u.IsDefaultPort || u.Port <= 0 ? 5432 : u.Port,
            Database = database,
            // Short enough that a load balancer's health check and a starting replica report an unreachable server fast.
            Timeout = 5,
            ApplicationName = "mltrack",
            // The store sends the same few statements over and over (log-batch is five): prepared once per pooled
            // connection, each then skips parsing. Still planned for its values each time (custom plans): a generic
            // plan made text search 3-6x slower, its selectivity depending on the words.
            MaxAutoPrepare = 64,
            AutoPrepareMinUsages = 2,
            Options = "-c plan_cache_mode=force_custom_plan",
        };
        if (u.UserInfo.Length > 0)
        {
            var parts = u.UserInfo.Split(':', 2);
            b.Username = Uri.UnescapeDataString(parts[0]);
            if (parts.Length == 2) b.Password = Uri.UnescapeDataString(parts[1]);
        }
        b.Username ??= Environment.GetEnvironmentVariable("PGUSER") ?? Environment.UserName;
        foreach (var pair in u.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var kv = pair.Split('=', 2);
            var key = Uri.UnescapeDataString(kv[0]);
            var value = kv.Length == 2 ? Uri.UnescapeDataString(kv[1]) : "";
            try
            {
                b[key] = value;
            }
            catch (ArgumentException)
            {
                throw Invalid(uri, $"unknown connection parameter '{key}'");
            }
        }
        return new PostgresTarget(b.ConnectionString, b.Host!, b.Port, database, b.Username!);
    }

    private static StoreException Invalid(string uri, string why)
    {
        var shown = Uri.TryCreate(uri, UriKind.Absolute, out var u) && u.UserInfo.Contains(':')
            ? uri.Replace(u.UserInfo, u.UserInfo.Split(':')[0] + ":***", StringComparison.Ordinal)
            : uri;
        return new StoreException(StoreErrorCode.InvalidParameterValue, $"Invalid store URI '{shown}': {why}.");
    }
}
