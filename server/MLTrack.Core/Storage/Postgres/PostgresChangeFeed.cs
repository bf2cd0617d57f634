using System.Data;
using System.Globalization;
using System.Text.Json;
using System.Threading.Channels;
using Npgsql;

namespace MLTrack.Core.Storage.Postgres;

/// <summary>
/// The team store's change feed: one dedicated connection that LISTENs on <see cref="ChannelName"/> (migration 4's
/// triggers announce every change row at commit) and delivers each change as it is announced. When the database goes
/// away the feed reconnects with backoff (<see cref="ChangeFeedOptions.ReconnectDelay"/> doubling up to
/// <see cref="ChangeFeedOptions.MaxReconnectDelay"/>), then reads what it missed from the <c>changes</c> table; it
/// also reads the table every <see cref="ChangeFeedOptions.SafetyInterval"/> as a backstop.
/// <para>
/// None lost, none doubled: the table is read by position (txid, seq) from a cursor below which everything was
/// delivered. The cursor only moves to the snapshot's xmin — every transaction below it has ended, so no change can
/// appear below the cursor later. Rows at or above xmin that are already visible (committed by younger transactions)
/// are delivered at once and remembered by seq until the cursor passes them, and so are announced rows; a row is
/// delivered only if it is above the cursor and not remembered.
/// </para>
/// </summary>
public sealed class PostgresChangeFeed : IChangeFeed
{
    public const string ChannelName = "mltrack_changes";
    private const int PageSize = 1000;

    private readonly PostgresDatabase _db;
    private readonly string _connectionString;
    private readonly ChangeFeedOptions _options;
    private readonly TextWriter _log;
    private readonly Channel<IReadOnlyList<StoreChange>> _channel = Channel.CreateUnbounded<IReadOnlyList<StoreChange>>(
        new UnboundedChannelOptions { SingleReader = false, SingleWriter = true });
    private readonly CancellationTokenSource _stop = new();
    // Only the loop touches these (and the constructor, before the loop starts).
    private NpgsqlConnection? _connection;
    private Position _cursor;
    private readonly Dictionary<long, ulong> _delivered = []; // seq → txid of rows delivered above the cursor
    private readonly List<Announced> _announced = [];
    private readonly Task _loop;

    private readonly record struct Position(ulong Tx, long Seq) : IComparable<Position>
    {
        public int CompareTo(Position other) => Tx != other.Tx ? Tx.CompareTo(other.Tx) : Seq.CompareTo(other.Seq);
    }

    /// <summary>A notification: the change, or only its position when the payload was too big to carry it.</summary>
    private sealed record Announced(Position At, StoreChange? Change);

    internal PostgresChangeFeed(PostgresDatabase db, ChangeFeedOptions options)
    {
        _db = db;
        _options = options;
        _log = options.Log ?? Console.Error;
        _connectionString = new NpgsqlConnectionStringBuilder(db.Target.ConnectionString)
        {
            Pooling = false, // a connection of its own: LISTEN is per session
            KeepAlive = 10, // a silently dead server is noticed while waiting
            ApplicationName = "mltrack change feed",
        }.ConnectionString;
        db.Guard(() =>
        {
            _connection = Connect();
            try
            {
                Prime();
            }
            catch
            {
                _connection.Dispose();
                throw;
            }
        });
        _loop = Task.Run(LoopAsync);
    }

    public ChannelReader<IReadOnlyList<StoreChange>> Changes => _channel.Reader;

    /// <summary>Whether the listening connection is up now (for diagnostics and tests).</summary>
    public bool Connected => _connection is { State: ConnectionState.Open };

    /// <summary>The server process id of the listening connection (tests kill it to simulate a lost connection).</summary>
    public int? BackendProcessId => _connection?.ProcessID;

    /// <summary>How many times the feed has reconnected since it was opened.</summary>
    public int Reconnects { get; private set; }

    private NpgsqlConnection Connect()
    {
        var c = new NpgsqlConnection(_connectionString);
        try
        {
            c.Open();
            c.Notification += OnNotification;
            using var cmd = new NpgsqlCommand($"LISTEN {ChannelName}", c);
            cmd.ExecuteNonQuery();
            return c;
        }
        catch
        {
            c.Dispose();
            throw;
        }
    }

    /// <summary>What is committed when the feed opens is not news: the cursor starts at xmin, the visible rows above it are remembered.</summary>
    private void Prime()
    {
        ReadTable(deliver: false);
        _announced.Clear();
    }

    private async Task LoopAsync()
    {
        var delay = _options.ReconnectDelay;
        var lastSafetyRead = DateTime.UtcNow;
        DateTime? lostAt = null, lastReported = null;
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                if (_connection is null)
                {
                    _connection = Connect();
                    Deliver(ReadTable(deliver: true));
                    Reconnects++;
                    _log.WriteLine($"mltrack: the change feed is back on {_db.Target.Display} after {(DateTime.UtcNow - lostAt!.Value).TotalSeconds:0.0} s; it read what it missed.");
                    lastSafetyRead = DateTime.UtcNow;
                    delay = _options.ReconnectDelay;
                    lostAt = lastReported = null;
                }
                var wait = _options.SafetyInterval - (DateTime.UtcNow - lastSafetyRead);
                if (wait < TimeSpan.FromMilliseconds(1) || !await _connection.WaitAsync(wait, _stop.Token).ConfigureAwait(false))
                {
                    Deliver(ReadTable(deliver: true));
                    lastSafetyRead = DateTime.UtcNow;
                }
                else
                {
                    Deliver(TakeAnnounced());
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                // Lost (server restarted, connection killed, network gone), or a read failed: start over on a new
                // connection; whatever was announced but not yet delivered is in the table.
                _announced.Clear();
                _connection?.Dispose();
                _connection = null;
                var now = DateTime.UtcNow;
                lostAt ??= now;
                if (lastReported is null || now - lastReported > TimeSpan.FromMinutes(1))
                {
                    _log.WriteLine(lastReported is null
                        ? $"mltrack: the change feed lost {_db.Target.Display} ({e.Message}); reconnecting."
                        : $"mltrack: the change feed still cannot reach {_db.Target.Display} ({e.Message}); retrying every {_options.MaxReconnectDelay.TotalSeconds:0.#} s.");
                    lastReported = now;
                }
                try
                {
                    await Task.Delay(delay, _stop.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.MaxReconnectDelay.Ticks));
            }
        }
    }

    private void OnNotification(object sender, NpgsqlNotificationEventArgs e)
    {
        if (e.Channel != ChannelName) return;
        try
        {
            using var doc = JsonDocument.Parse(e.Payload);
            var p = doc.RootElement;
            var at = new Position(ulong.Parse(p.GetProperty("tx").GetString()!, CultureInfo.InvariantCulture), p.GetProperty("seq").GetInt64());
            var partial = p.TryGetProperty("partial", out var x) && x.ValueKind == JsonValueKind.True;
            _announced.Add(new Announced(at, partial ? null : ChangeOf(p)));
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or FormatException or InvalidOperationException or OverflowException)
        {
            // Not ours (a newer MLTrack's payload, someone's NOTIFY): the table read will find real rows anyway.
            _log.WriteLine($"mltrack: ignored a change notification that could not be read: {ex.Message}");
        }
    }

    /// <summary>The announced changes not delivered yet, in the order announced; the partial ones read from the table.</summary>
    private List<StoreChange> TakeAnnounced()
    {
        var fresh = _announced.Where(a => a.At.CompareTo(_cursor) > 0 && !_delivered.ContainsKey(a.At.Seq)).ToList();
        _announced.Clear();
        if (fresh.Count == 0) return [];
        Dictionary<long, StoreChange?>? rows = null;
        var missing = fresh.Where(a => a.Change is null).Select(a => a.At.Seq).ToArray();
        if (missing.Length > 0)
        {
            using var cmd = new NpgsqlCommand($"{SelectRows} WHERE seq = ANY(@seqs)", _connection);
            cmd.Parameters.AddWithValue("seqs", missing);
            using var r = cmd.ExecuteReader();
            rows = [];
            while (r.Read()) rows[r.GetInt64(0)] = ChangeOf(r);
        }
        var changes = new List<StoreChange>(fresh.Count);
        foreach (var a in fresh)
        {
            var change = a.Change ?? rows?.GetValueOrDefault(a.At.Seq);
            if (change is null) continue; // trimmed already: nothing left to tell
            _delivered[a.At.Seq] = a.At.Tx;
            changes.Add(change);
        }
        return changes;
    }

    private const string SelectRows =
        "SELECT seq, txid::text, kind, subject, run_id, experiment_id::text, status, name, fields, keys, latest::text FROM changes";

    /// <summary>
    /// Reads the table above the cursor in one snapshot: rows not delivered yet are returned (when
    /// <paramref name="deliver"/>) and remembered while at or above xmin; the cursor then moves to xmin. Announcements
    /// that arrived meanwhile are merged in, in position order.
    /// </summary>
    private List<StoreChange> ReadTable(bool deliver)
    {
        var c = _connection!;
        var changes = new List<StoreChange>();
        ulong xmin;
        using (var tx = c.BeginTransaction(IsolationLevel.RepeatableRead))
        {
            using (var cmd = new NpgsqlCommand("SELECT pg_snapshot_xmin(pg_current_snapshot())::text", c, tx))
                xmin = ulong.Parse((string)cmd.ExecuteScalar()!, CultureInfo.InvariantCulture);
            var from = _cursor;
            while (true)
            {
                var page = 0;
                using var cmd = new NpgsqlCommand(
                    $"{SelectRows} WHERE (txid, seq) > (@tx::xid8, @seq) ORDER BY txid, seq LIMIT {PageSize}", c, tx);
                cmd.Parameters.AddWithValue("tx", from.Tx.ToString(CultureInfo.InvariantCulture));
                cmd.Parameters.AddWithValue("seq", from.Seq);
                using var r = cmd.ExecuteReader();
                while (r.Read())
                {
                    page++;
                    var at = new Position(ulong.Parse(r.GetString(1), CultureInfo.InvariantCulture), r.GetInt64(0));
                    from = at;
                    if (_delivered.ContainsKey(at.Seq)) continue;
                    _delivered[at.Seq] = at.Tx;
                    if (deliver && ChangeOf(r) is { } change) changes.Add(change);
                }
                if (page < PageSize) break;
            }
            tx.Commit();
        }
        // Announced during the read and not in it (committed after its snapshot): still news.
        changes.AddRange(TakeAnnounced());
        var cursor = new Position(xmin, 0);
        if (cursor.CompareTo(_cursor) > 0) _cursor = cursor;
        foreach (var seq in _delivered.Where(d => d.Value < _cursor.Tx).Select(d => d.Key).ToList()) _delivered.Remove(seq);
        return changes;
    }

    private void Deliver(List<StoreChange> changes)
    {
        if (changes.Count > 0) _channel.Writer.TryWrite(changes);
    }

    private static StoreChange? ChangeOf(NpgsqlDataReader r)
    {
        var kind = KindOf(r.GetString(2));
        if (kind is null) return null;
        return Build(kind.Value, r.GetString(3), Text(r, 4), Text(r, 5), Text(r, 6), Text(r, 7), r.GetFieldValue<string[]>(8), r.GetFieldValue<string[]>(9),
            r.IsDBNull(10) ? null : LatestOf(r.GetString(10)));

        static string? Text(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);
    }

    private static StoreChange? ChangeOf(JsonElement p)
    {
        var kind = KindOf(p.GetProperty("kind").GetString()!);
        if (kind is null) return null;
        return Build(kind.Value, p.GetProperty("subject").GetString()!, Text("run_id"), Text("experiment_id"), Text("status"), Text("name"),
            Strings("fields"), Strings("keys"), p.TryGetProperty("latest", out var l) ? LatestOf(l) : null);

        string? Text(string name) => p.TryGetProperty(name, out var v) ? v.GetString() : null;
        string[] Strings(string name) => p.TryGetProperty(name, out var v) ? [.. v.EnumerateArray().Select(s => s.GetString()!)] : [];
    }

    private static StoreChange Build(StoreChangeKind kind, string subject, string? runId, string? experimentId, string? status, string? name,
        string[] fields, string[] keys, IReadOnlyDictionary<string, double>? latest) => new()
        {
            Kind = kind,
            RunId = runId,
            ExperimentId = experimentId,
            Status = status,
            Name = name,
            Fields = fields.Aggregate(RunChangeFields.None, (f, s) => f | s switch
            {
                "status" => RunChangeFields.Status,
                "name" => RunChangeFields.Name,
                "tags" => RunChangeFields.Tags,
                _ => RunChangeFields.None,
            }),
            Keys = keys,
            Latest = latest,
            DeploymentId = kind == StoreChangeKind.DeploymentChanged ? subject : null,
            User = kind == StoreChangeKind.PreferencesChanged ? subject : null,
        };

    /// <summary>Null for a kind this build does not know (a newer MLTrack wrote it): skipped.</summary>
    private static StoreChangeKind? KindOf(string kind) => kind switch
    {
        "run_created" => StoreChangeKind.RunCreated,
        "run_updated" => StoreChangeKind.RunUpdated,
        "run_deleted" => StoreChangeKind.RunDeleted,
        "run_restored" => StoreChangeKind.RunRestored,
        "metrics" => StoreChangeKind.MetricsAppended,
        "deployment" => StoreChangeKind.DeploymentChanged,
        "preferences" => StoreChangeKind.PreferencesChanged,
        _ => null,
    };

    private static Dictionary<string, double> LatestOf(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return LatestOf(doc.RootElement);
    }

    /// <summary>Values are JSON numbers, or strings for NaN and the infinities (jsonb has no such numbers).</summary>
    private static Dictionary<string, double> LatestOf(JsonElement latest)
    {
        var values = new Dictionary<string, double>();
        foreach (var p in latest.EnumerateObject())
        {
            values[p.Name] = p.Value.ValueKind == JsonValueKind.Number
                ? p.Value.GetDouble()
                : double.Parse(p.Value.GetString()!, NumberStyles.Float, CultureInfo.InvariantCulture);
        }
        return values;
    }

    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested) return;
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _connection?.Dispose();
        _connection = null;
        _channel.Writer.TryComplete();
        _stop.Dispose();
    }
}
