using System.Net.Sockets;
using Npgsql;

namespace MLTrack.Core.Storage.Postgres;

/// <summary>
/// Connections to one PostgreSQL database (Npgsql's pool), transactions, and the translation of failures into
/// <see cref="StoreException"/>s that name the server (never the password): an unreachable server is
/// <see cref="StoreErrorCode.StoreUnavailable"/> (the REST layer answers 503), a lost connection mid-transaction
/// rolls back, so nothing is half-written; the pool reconnects on the next call.
/// </summary>
public sealed class PostgresDatabase : IDisposable
{
    private readonly NpgsqlDataSource _source;

    public PostgresTarget Target { get; }

    private PostgresDatabase(PostgresTarget target)
    {
        Target = target;
        _source = NpgsqlDataSource.Create(target.ConnectionString);
    }

    /// <summary>Connects, applies pending migrations (one replica at a time) and returns the database.</summary>
    public static PostgresDatabase Open(PostgresTarget target)
    {
        var db = new PostgresDatabase(target);
        try
        {
            db.Guard(() =>
            {
                using var c = db._source.OpenConnection();
                PostgresMigrator.Migrate(c, target);
            });
            return db;
        }
        catch
        {
            db.Dispose();
            throw;
        }
    }

    public NpgsqlConnection OpenConnection() => _source.OpenConnection();

    /// <summary>A query on a pooled connection (autocommit).</summary>
    public T Read<T>(Func<NpgsqlConnection, T> query) => Guard(() =>
    {
        using var c = _source.OpenConnection();
        return query(c);
    });

    /// <summary>A change in one READ COMMITTED transaction, committed when <paramref name="change"/> returns.</summary>
    public T Write<T>(Func<NpgsqlConnection, NpgsqlTransaction, T> change) => Guard(() =>
    {
        using var c = _source.OpenConnection();
        using var tx = c.BeginTransaction();
        var result = change(c, tx);
        tx.Commit();
        return result;
    });

    public void Write(Action<NpgsqlConnection, NpgsqlTransaction> change) => Write((c, tx) => { change(c, tx); return 0; });

    public T Guard<T>(Func<T> action)
    {
        try
        {
            return action();
        }
        catch (Exception e) when (Translate(e) is { } translated)
        {
            throw translated;
        }
    }

    public void Guard(Action action) => Guard(() => { action(); return 0; });

    /// <summary>The store error for a driver failure, or null for errors that are the caller's own (already StoreException, bugs).</summary>
    public StoreException? Translate(Exception e) => e switch
    {
        StoreException => null,
        PostgresException { SqlState: "28P01" or "28000" } p => Unavailable(e, $"refused the credentials of '{Target.User}': {p.MessageText}"),
        PostgresException { SqlState: "3D000" } => Unavailable(e, $"has no database '{Target.Database}'; create it (createdb {Target.Database}) or fix the URI"),
        PostgresException { SqlState: "57P01" or "57P02" or "57P03" } p => Unavailable(e, $"is shutting down or starting: {p.MessageText}"),
        PostgresException { SqlState: "53300" } => Unavailable(e, "has no free connections (too many clients)"),
        NpgsqlException { InnerException: TimeoutException }
            => Unavailable(e, "did not answer in time; is it overloaded, or is a firewall dropping the connection?"),
        NpgsqlException { InnerException: SocketException or IOException } or NpgsqlException { IsTransient: true }
            => Unavailable(e, "cannot be reached; is it running and listening there?"),
        InvalidOperationException when e.Message.Contains("connection", StringComparison.OrdinalIgnoreCase) && e.Source == "Npgsql"
            => Unavailable(e, "closed the connection"),
        _ => null,
    };

    private StoreException Unavailable(Exception e, string what)
    {
        var message = $"The PostgreSQL server at {Target.Host}:{Target.Port} (database '{Target.Database}') {what}{(what.EndsWith('?') ? "" : ".")}";
        return new StoreException(StoreErrorCode.StoreUnavailable, message, e, message);
    }

    public void Dispose() => _source.Dispose();
}
