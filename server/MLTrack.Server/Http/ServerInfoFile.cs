using System.Text.Json;
using System.Text.Json.Serialization;
using MLTrack.Core.Storage;

namespace MLTrack.Server.Http;

/// <summary>Reads and writes <c>&lt;.mltrack&gt;/server.json</c> = <c>{"url", "pid", "store", "started"}</c>; writes are atomic (temp file, rename).</summary>
internal static class ServerInfoFile
{
    public const string FileName = "server.json";

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
    };

    public static string PathIn(string mltrackDir) => Path.Combine(mltrackDir, FileName);

    public static void Write(string mltrackDir, ServerInfo info)
    {
        StorePermissions.CreateFolder(mltrackDir);
        var path = PathIn(mltrackDir);
        var temp = path + $".{Environment.ProcessId}.tmp";
        var record = new Record(info.Url.ToString().TrimEnd('/'), info.Pid, info.Store, info.Started.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        using (var stream = new FileStream(temp, StorePermissions.NewFile()))
            stream.Write(JsonSerializer.SerializeToUtf8Bytes(record, Json));
        File.Move(temp, path, overwrite: true);
    }

    public static ServerInfo? TryRead(string mltrackDir)
    {
        try
        {
            var record = JsonSerializer.Deserialize<Record>(File.ReadAllText(PathIn(mltrackDir)), Json);
            if (record is null || !Uri.TryCreate(record.Url, UriKind.Absolute, out var url) || record.Pid <= 0) return null;
            var started = DateTimeOffset.TryParse(record.Started, System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.RoundtripKind, out var t) ? t : DateTimeOffset.MinValue;
            return new ServerInfo(url, record.Pid, record.Store ?? "", started);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            return null;
        }
    }

    /// <summary>Removes server.json if it still describes <paramref name="info"/> (a newer server may have replaced it).</summary>
    public static void RemoveIfOurs(string mltrackDir, ServerInfo info)
    {
        var current = TryRead(mltrackDir);
        if (current is null || current.Pid != info.Pid || current.Url != info.Url) return;
        try { File.Delete(PathIn(mltrackDir)); } catch (IOException) { }
    }

    private sealed record Record(
        [property: JsonPropertyName("url")] string Url,
        [property: JsonPropertyName("pid")] int Pid,
        [property: JsonPropertyName("store")] string? Store,
        [property: JsonPropertyName("started")] string? Started);
}
