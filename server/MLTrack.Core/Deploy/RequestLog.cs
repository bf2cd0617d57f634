using System.Text;
using System.Text.Json;

namespace MLTrack.Core.Deploy;

/// <summary>
/// Reads the JSON lines a local predictor server appends per <c>/predict</c> request
/// (<c>{"ts", "path", "status", "latency_ms", "error"?}</c>) and sums them up as <see cref="DeploymentStats"/>.
/// Reads only what was appended since the last call, and only whole lines (the server may be mid-write).
/// </summary>
public sealed class RequestLog(string path)
{
    private readonly Lock _gate = new();
    private readonly List<double> _latencies = [];
    private long _offset;
    private long _errors;

    public string Path { get; } = path;

    public DeploymentStats Read()
    {
        lock (_gate)
        {
            ReadNewLines();
            if (_latencies.Count == 0) return DeploymentStats.Empty with { Errors = _errors };
            var sorted = _latencies.ToArray();
            Array.Sort(sorted);
            return new DeploymentStats(sorted.Length, _errors, Percentile(sorted, 50), Percentile(sorted, 95), Percentile(sorted, 99));
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
        if (stream.Length <= _offset) return;
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
                if (root.TryGetProperty("latency_ms", out var latency)) _latencies.Add(latency.GetDouble());
                if (root.TryGetProperty("status", out var status) && status.GetInt32() >= 400) _errors++;
            }
            catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
            {
                // a torn or foreign line: skip it
            }
        }
    }
}
