using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace MLTrack.Server.Spool;

/// <summary>
/// Replays what Python clients spooled to <c>.mltrack/spool/&lt;run&gt;.jsonl</c> while no server answered: each
/// line is the REST request the client would have sent, so replay goes through the very same endpoints. Every
/// request is idempotent (client-chosen run ids, batch ids on log-batch, params immutable, tags upserted), so a replay
/// cut short by a crash is simply run again: nothing is lost and nothing doubles. A file is deleted once all its lines
/// were accepted (or refused as invalid, which a retry cannot fix); on a server or connection error it is kept.
/// </summary>
public sealed class SpoolReplayer(HttpClient http, TextWriter log)
{
    public sealed record Result(int Files, int Requests, int Rejected);

    public async Task<Result> ReplayAsync(string spoolDir, CancellationToken ct = default)
    {
        if (!Directory.Exists(spoolDir)) return new Result(0, 0, 0);
        int files = 0, requests = 0, rejected = 0;
        foreach (var file in Directory.GetFiles(spoolDir, "*.jsonl").OrderBy(File.GetLastWriteTimeUtc))
        {
            var (sent, refused, complete) = await ReplayFileAsync(file, ct);
            requests += sent;
            rejected += refused;
            if (!complete) continue;
            files++;
            File.Delete(file);
            var attachments = Path.Combine(spoolDir, Path.GetFileNameWithoutExtension(file));
            if (Directory.Exists(attachments)) Directory.Delete(attachments, recursive: true);
        }
        if (files > 0) log.WriteLine($"mltrack: replayed {requests} spooled request(s) from {files} file(s){(rejected > 0 ? $", {rejected} refused as invalid" : "")}");
        return new Result(files, requests, rejected);
    }

    private async Task<(int Sent, int Refused, bool Complete)> ReplayFileAsync(string file, CancellationToken ct)
    {
        int sent = 0, refused = 0, lineNo = 0;
        var attachmentsDir = Path.Combine(Path.GetDirectoryName(file)!, Path.GetFileNameWithoutExtension(file));
        foreach (var line in await File.ReadAllLinesAsync(file, ct))
        {
            lineNo++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            HttpRequestMessage request;
            try
            {
                request = ToRequest(line, attachmentsDir);
            }
            catch (Exception e) when (e is JsonException or InvalidDataException or IOException)
            {
                // A torn last line (the client died mid-write) or a missing attachment: skip it, keep the rest.
                log.WriteLine($"mltrack: spool {Path.GetFileName(file)} line {lineNo} skipped: {e.Message}");
                refused++;
                continue;
            }
            HttpResponseMessage response;
            try
            {
                response = await http.SendAsync(request, ct);
            }
            catch (HttpRequestException e)
            {
                log.WriteLine($"mltrack: spool replay paused at {Path.GetFileName(file)} line {lineNo}: {e.Message}");
                return (sent, refused, false);
            }
            using (response)
            {
                sent++;
                if ((int)response.StatusCode >= 500)
                {
                    log.WriteLine($"mltrack: spool replay paused at {Path.GetFileName(file)} line {lineNo}: HTTP {(int)response.StatusCode}");
                    return (sent, refused, false);
                }
                if (!response.IsSuccessStatusCode && response.StatusCode != HttpStatusCode.NotModified)
                {
                    refused++;
                    log.WriteLine($"mltrack: spool {Path.GetFileName(file)} line {lineNo} refused: {await response.Content.ReadAsStringAsync(ct)}");
                }
            }
        }
        return (sent, refused, true);
    }

    private static HttpRequestMessage ToRequest(string line, string attachmentsDir)
    {
        using var doc = JsonDocument.Parse(line);
        var root = doc.RootElement;
        var method = new HttpMethod(root.GetProperty("method").GetString() ?? throw new InvalidDataException("no method"));
        var path = root.GetProperty("path").GetString() ?? throw new InvalidDataException("no path");
        if (!path.StartsWith("/api/", StringComparison.Ordinal)) throw new InvalidDataException($"path '{path}' is not an API path");
        var request = new HttpRequestMessage(method, path);
        if (root.TryGetProperty("file", out var fileProp) && fileProp.GetString() is { } rel)
        {
            var full = Path.GetFullPath(Path.Combine(attachmentsDir, rel));
            if (!full.StartsWith(Path.GetFullPath(attachmentsDir) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                throw new InvalidDataException($"attachment '{rel}' is outside the spool folder");
            request.Content = new ByteArrayContent(File.ReadAllBytes(full));
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        }
        else if (root.TryGetProperty("body", out var body) && body.ValueKind != JsonValueKind.Null)
        {
            request.Content = new StringContent(body.GetRawText(), Encoding.UTF8, "application/json");
        }
        return request;
    }
}
