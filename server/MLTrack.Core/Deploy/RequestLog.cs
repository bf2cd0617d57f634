using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;

namespace MLTrack.Core.Deploy;

/// <summary>
/// Reads the JSON lines a local predictor server appends per <c>/predict</c> request
/// (<c>{"ts", "path", "status", "latency_ms", "error"?}</c>): as <see cref="DeploymentStats"/> totals, or every request
/// with its time (the production dashboard's periods). Reads only what was appended since the last call, and only whole
/// lines (the server may be mid-write); a file that shrank (recreated) is read again from the start.
/// </summary>
public sealed class RequestLog(string path)
{
    private static readonly ConcurrentDictionary<string, RequestLog> Shared = new(StringComparer.Ordinal);

    private readonly Lock _gate = new();
    private readonly List<RequestRecord> _records = [];
    private long _offset;

    public string Path { get; } = path;

    /// <summary>One reader per file in this process, so readers that come back every few seconds (the dashboard's live
    /// refresh, a deployment's stats) parse each line once, not the whole log each time.</summary>
    public static RequestLog For(string path) => Shared.GetOrAdd(System.IO.Path.GetFullPath(path), p => new RequestLog(p));

    public DeploymentStats Read()
    {
        lock (_gate)
        {
            ReadNewLines();
            if (_records.Count == 0) return DeploymentStats.Empty;
            var sorted = new double[_records.Count];
            var errors = 0L;
            for (var i = 0; i < sorted.Length; i++)
            {
                sorted[i] = _records[i].LatencyMs;
                if (_records[i].IsError) errors++;
            }
            Array.Sort(sorted);
            return new DeploymentStats(sorted.Length, errors, Percentile(sorted, 50), Percentile(sorted, 95), Percentile(sorted, 99));
        }
    }

    /// <summary>Every request logged so far, in the order they were written.</summary>
    public IReadOnlyList<RequestRecord> Records()
    {
        lock (_gate)
        {
            ReadNewLines();
            return _records.ToArray();
        }
    }

    /// <summary>Nearest-rank percentile of an ascending array.</summary>
    internal static double Percentile(double[] sorted, double p)
    {
        var rank = (int)Math.Ceiling(p / 100.0 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }

    private void ReadNewLines()
    {
        if (!File.Exists(Path)) return;
        using var stream = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        if (stream.Length < _offset)
        {
            _offset = 0;
            _records.Clear();
        }
        if (stream.Length == _offset) return;
        stream.Position = _offset;
        var bytes = new byte[stream.Length - _offset];
        stream.ReadExactly(bytes);
        var end = Array.LastIndexOf(bytes, (byte)'\n');
        if (end < 0) return;
        _offset += end + 1;
        foreach (var line in Encoding.UTF8.GetString(bytes, 0, end).Split('\n'))
        {
            if (line.Length == 0) continue;
            try
            {
                using var doc = JsonDocument.Parse(line);
                var root = doc.RootElement;
                if (!root.TryGetProperty("latency_ms", out var latency)) continue;
                var ts = root.TryGetProperty("ts", out var t) ? t.GetInt64() : 0;
                var status = root.TryGetProperty("status", out var s) ? s.GetInt32() : 200;
                _records.Add(new RequestRecord(ts, status, latency.GetDouble()));
            }
            catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
            {
                // a torn or foreign line: skip it
            }
        }
    }
}
