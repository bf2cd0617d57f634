using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace MLTrack.Server.Spool;

/// <summary>
/// Replays what Python clients spooled to <c>.mltrack/spool/&lt;run&gt;.jsonl</c> while no server answered: each
/// line is the REST request the client would have sent, so replay goes through the very same endpoints. Every
/// request is idempotent (client-chosen run ids, batch ids on log-batch, params immutable, tags upserted), so a replay
/// cut short by a crash is simply run again: nothing is lost and nothing doubles.
/// <para>
/// A file is first claimed by renaming it to <c>&lt;run&gt;.jsonl.replaying</c>, then locked once (<c>flock</c>, as the
/// client takes it for each append) so an append in progress finishes first; appends after the rename create a new
/// <c>&lt;run&gt;.jsonl</c>, replayed after the claimed one (the client re-opens when the file it locked was renamed or
/// removed, so no line goes into a file already read). A claimed file is deleted, with the attachments its lines
/// named, once all its lines were accepted (or refused as invalid, which a retry cannot fix); on a server or
/// connection error it is kept, and the run's newer file waits behind it. A file that another process claimed or
/// removed between listing and opening is skipped. Replays are serialized: by the server's lock between servers, and
/// by <c>spool/.replay.lock</c> for any replayer (one that finds it held leaves the spool to its holder).
/// </para>
/// </summary>
public sealed class SpoolReplayer(HttpClient http, TextWriter log)
{
    public const string Extension = ".jsonl";
    public const string ClaimedExtension = ".jsonl.replaying";
    public const string ReplayLockName = ".replay.lock";

    private static readonly TimeSpan AppendWait = TimeSpan.FromSeconds(5);

    public sealed record Result(int Files, int Requests, int Rejected);

    public async Task<Result> ReplayAsync(string spoolDir, CancellationToken ct = default)
    {
        if (!Directory.Exists(spoolDir)) return new Result(0, 0, 0);
        using var replaying = Http.ExclusiveFile.TryOpen(Path.Combine(spoolDir, ReplayLockName));
        if (replaying is null) return new Result(0, 0, 0); // another process is replaying this spool
        int files = 0, requests = 0, rejected = 0;
        foreach (var run in RunsOldestFirst(spoolDir))
        {
            // A claim left by a replay that stopped (a crash, a server error) goes first: it holds the older lines.
            var claimed = Path.Combine(spoolDir, run + ClaimedExtension);
            if (!File.Exists(claimed) && !Claim(Path.Combine(spoolDir, run + Extension), claimed)) continue;
            var (replayed, sent, refused) = await ReplayClaimedAsync(claimed, ct);
            requests += sent;
            rejected += refused;
            if (!replayed) continue;
            files++;
            if (!Claim(Path.Combine(spoolDir, run + Extension), claimed)) continue;
            (replayed, sent, refused) = await ReplayClaimedAsync(claimed, ct);
            requests += sent;
            rejected += refused;
            if (replayed) files++;
        }
        if (files > 0) log.WriteLine($"mltrack: replayed {requests} spooled request(s) from {files} file(s){(rejected > 0 ? $", {rejected} refused as invalid" : "")}");
        return new Result(files, requests, rejected);
    }

    /// <summary>Run ids with a spool file (claimed or not), the least recently written first.</summary>
    private static IEnumerable<string> RunsOldestFirst(string spoolDir) =>
        new DirectoryInfo(spoolDir).EnumerateFiles("*" + Extension + "*")
            .Select(f => (File: f, Run: RunOf(f.Name)))
            .Where(x => x.Run is not null)
            .GroupBy(x => x.Run!)
            .OrderBy(g => g.Min(x => x.File.LastWriteTimeUtc))
            .Select(g => g.Key)
            .ToList();

    private static string? RunOf(string fileName) =>
        fileName.EndsWith(ClaimedExtension, StringComparison.Ordinal) ? fileName[..^ClaimedExtension.Length]
        : fileName.EndsWith(Extension, StringComparison.Ordinal) ? fileName[..^Extension.Length]
        : null;

    /// <summary>Renames the run's spool file to its claimed name; false when there is none (never written, or taken by another process).</summary>
    private static bool Claim(string file, string claimed)
    {
        try
        {
            File.Move(file, claimed, overwrite: false);
            return true;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return false;
        }
    }

    /// <summary>Replays a claimed file and deletes it when done; (false, …) when it stays (paused, or gone meanwhile).</summary>
    private async Task<(bool Replayed, int Sent, int Refused)> ReplayClaimedAsync(string claimed, CancellationToken ct)
    {
        if (await ReadWhenUnlockedAsync(claimed, ct) is not { } lines) return (false, 0, 0);
        var spoolDir = Path.GetDirectoryName(claimed)!;
        var name = Path.GetFileName(claimed)[..^ClaimedExtension.Length];
        var attachmentsDir = Path.Combine(spoolDir, name);
        var attachments = new List<string>();
        int sent = 0, refused = 0, lineNo = 0;
        foreach (var line in lines)
        {
            lineNo++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            HttpRequestMessage request;
            try
            {
                request = ToRequest(line, attachmentsDir, attachments);
            }
            catch (Exception e) when (e is JsonException or InvalidDataException or IOException)
            {
                // A torn last line (the client died mid-write) or a missing attachment: skip it, keep the rest.
                log.WriteLine($"mltrack: spool {name} line {lineNo} skipped: {e.Message}");
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
                log.WriteLine($"mltrack: spool replay paused at {name} line {lineNo}: {e.Message}");
                return (false, sent, refused);
            }
            using (response)
            {
                sent++;
                if ((int)response.StatusCode >= 500)
                {
                    log.WriteLine($"mltrack: spool replay paused at {name} line {lineNo}: HTTP {(int)response.StatusCode}");
                    return (false, sent, refused);
                }
                if (!response.IsSuccessStatusCode && response.StatusCode != HttpStatusCode.NotModified)
                {
                    refused++;
                    log.WriteLine($"mltrack: spool {name} line {lineNo} refused: {await response.Content.ReadAsStringAsync(ct)}");
                }
            }
        }
        File.Delete(claimed);
        RemoveAttachments(attachmentsDir, attachments);
        return (true, sent, refused);
    }

    /// <summary>
    /// The claimed file's lines, read under its lock: a client that was appending when the file was renamed holds
    /// that lock until its line is whole and synced. Null when the file is gone (another process replayed it).
    /// </summary>
    private static async Task<string[]?> ReadWhenUnlockedAsync(string claimed, CancellationToken ct)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            try
            {
                // FileShare.None takes flock(LOCK_EX | LOCK_NB) on Unix: the client's append lock.
                using var stream = new FileStream(claimed, FileMode.Open, FileAccess.Read, FileShare.None);
                using var reader = new StreamReader(stream, Encoding.UTF8);
                var text = await reader.ReadToEndAsync(ct);
                return text.Split('\n');
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
            {
                return null;
            }
            catch (IOException) when (waited.Elapsed < AppendWait)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(20), ct); // an append in progress: it takes milliseconds
            }
        }
    }

    /// <summary>Deletes the attachments the replayed lines named, then the folders they leave empty (newer lines may use the same folder).</summary>
    private static void RemoveAttachments(string attachmentsDir, List<string> attachments)
    {
        foreach (var file in attachments)
        {
            try
            {
                File.Delete(file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
        }
        if (!Directory.Exists(attachmentsDir)) return;
        foreach (var dir in Directory.EnumerateDirectories(attachmentsDir, "*", SearchOption.AllDirectories).OrderByDescending(d => d.Length).Append(attachmentsDir))
        {
            try
            {
                if (!Directory.EnumerateFileSystemEntries(dir).Any()) Directory.Delete(dir);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
        }
    }

    private static HttpRequestMessage ToRequest(string line, string attachmentsDir, List<string> attachments)
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
            attachments.Add(full);
        }
        else if (root.TryGetProperty("body", out var body) && body.ValueKind != JsonValueKind.Null)
        {
            request.Content = new StringContent(body.GetRawText(), Encoding.UTF8, "application/json");
        }
        return request;
    }
}
