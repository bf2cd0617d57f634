using System.Text;
using System.Text.Json;

namespace MLTrack.Core.Deploy;

/// <summary>One <c>/predict</c> request from a local predictor server's request log: when (Unix ms), status, latency.</summary>
public readonly record struct RequestRecord(long Timestamp, int Status, double LatencyMs)
{
    public bool IsError => Status >= 400;

    /// <summary>Every whole line of a request log (torn or foreign lines skipped); empty when the file is missing.</summary>
    public static IReadOnlyList<RequestRecord> ReadAll(string path)
    {
        var list = new List<RequestRecord>();
        if (!File.Exists(path)) return list;
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || reader.EndOfStream && !line.EndsWith('}')) continue;
            try
            {
                using var doc = JsonDocument.Parse(line);
                var root = doc.RootElement;
                if (root.TryGetProperty("ts", out var ts) && root.TryGetProperty("status", out var status) && root.TryGetProperty("latency_ms", out var latency))
                    list.Add(new RequestRecord(ts.GetInt64(), status.GetInt32(), latency.GetDouble()));
            }
            catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
            {
                // a torn or foreign line
            }
        }
        return list;
    }
}
