using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace MLTrack.Server.Tests.Http.Auth;

/// <summary>
/// A real SMTP server for the email sign-in tests: npm <c>maildev</c> 3.0.0 (pinned in tests/maildev) on free
/// 127.0.0.1 ports (SMTP and its REST API), keeping mail in a temporary folder, stopped by its pid. Installs
/// tests/maildev with <c>npm ci</c> when its node_modules is missing (.ci/install-maildev.sh does the same). Node
/// comes from PATH, or MLTRACK_NODE. Mail is read through maildev's REST API (<c>GET /api/email</c>).
/// </summary>
public sealed class MaildevFixture : IAsyncLifetime
{
    private Process? _process;
    private readonly string _mailDir = Path.Combine(Path.GetTempPath(), "mltrack-maildev-" + Guid.NewGuid().ToString("N"));
    private readonly List<string> _output = [];
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    public int SmtpPort { get; private set; }
    public Uri ApiUrl { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var project = Path.Combine(RepoRoot(), "tests", "maildev");
        var script = Path.Combine(project, "node_modules", "maildev", "dist", "bin", "maildev.js");
        if (!File.Exists(script)) await NpmCiAsync(project, script);
        Directory.CreateDirectory(_mailDir);
        SmtpPort = FreePort();
        var webPort = FreePort();
        ApiUrl = new Uri($"http://127.0.0.1:{webPort}/api/");
        var start = new ProcessStartInfo(Node(),
            [script, "--smtp", $"{SmtpPort}", "--ip", "127.0.0.1", "--web", $"{webPort}", "--web-ip", "127.0.0.1", "--mail-directory", _mailDir])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = project,
        };
        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) => { if (e.Data is { } l) lock (_output) _output.Add(l); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is { } l) lock (_output) _output.Add(l); };
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        for (var waited = Stopwatch.StartNew(); ; await Task.Delay(100))
        {
            if (_process.HasExited) throw new InvalidOperationException("maildev exited: " + Output());
            try
            {
                using var health = await _http.GetAsync(new Uri(ApiUrl, "healthz"));
                if (health.IsSuccessStatusCode) break;
            }
            catch (HttpRequestException) when (waited.Elapsed < TimeSpan.FromSeconds(60)) { }
            if (waited.Elapsed > TimeSpan.FromSeconds(60)) throw new TimeoutException("maildev did not start: " + Output());
        }
    }

    public Task DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
        _process?.Dispose();
        _http.Dispose();
        try { Directory.Delete(_mailDir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        return Task.CompletedTask;
    }

    /// <summary>One received mail: its recipients and plain text.</summary>
    public sealed record Mail(IReadOnlyList<string> To, string Subject, string Text);

    /// <summary>Every mail received so far, in arrival order.</summary>
    public async Task<IReadOnlyList<Mail>> MailsAsync()
    {
        using var doc = JsonDocument.Parse(await _http.GetStringAsync(new Uri(ApiUrl, "email")));
        return doc.RootElement.EnumerateArray().Select(m => new Mail(
            m.GetProperty("to").EnumerateArray().Select(t => t.GetProperty("address").GetString()!).ToList(),
            m.GetProperty("subject").GetString() ?? "",
            m.TryGetProperty("text", out var text) ? text.GetString() ?? "" : "")).ToList();
    }

    /// <summary>Waits (up to 20 s) for the <paramref name="count"/>-th mail to <paramref name="to"/> (containing <paramref name="text"/>, when given).</summary>
    public async Task<Mail> WaitForMailAsync(string to, int count = 1, string? text = null)
    {
        for (var waited = Stopwatch.StartNew(); ; await Task.Delay(100))
        {
            var mails = (await MailsAsync()).Where(m => m.To.Contains(to, StringComparer.OrdinalIgnoreCase) && (text is null || m.Text.Contains(text, StringComparison.Ordinal))).ToList();
            if (mails.Count >= count) return mails[count - 1];
            if (waited.Elapsed > TimeSpan.FromSeconds(20)) throw new TimeoutException($"No mail #{count} to {to} arrived; maildev said: {Output()}");
        }
    }

    /// <summary>Empties the inbox (between tests).</summary>
    public async Task ClearAsync()
    {
        using var response = await _http.DeleteAsync(new Uri(ApiUrl, "email/all"));
        response.EnsureSuccessStatusCode();
    }

    private string Output() { lock (_output) return string.Join('\n', _output); }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task NpmCiAsync(string project, string script)
    {
        // One installer at a time (parallel test runs, .ci/install-maildev.sh): an exclusive lock file beside package.json.
        await using var lockFile = await AcquireLockAsync(Path.Combine(project, ".install.lock"));
        if (File.Exists(script)) return;
        var npm = new ProcessStartInfo("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"])
        {
            WorkingDirectory = project,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var p = Process.Start(npm)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(5));
        if (p.ExitCode != 0) throw new InvalidOperationException($"npm ci in {project} failed ({p.ExitCode}): {await stdout}{await stderr}");
    }

    private static async Task<FileStream> AcquireLockAsync(string path)
    {
        for (var waited = TimeSpan.Zero; ; waited += TimeSpan.FromMilliseconds(200))
        {
            try { return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None); }
            catch (IOException) when (waited < TimeSpan.FromMinutes(5)) { await Task.Delay(200); }
        }
    }

    private static string Node() => Environment.GetEnvironmentVariable("MLTRACK_NODE") is { Length: > 0 } node ? node : "node";

    private static string RepoRoot([CallerFilePath] string thisFile = "")
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Path.GetDirectoryName(thisFile) ?? "" })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "MLTrack.Ide.sln")) && Directory.Exists(Path.Combine(dir.FullName, "tests", "maildev")))
                    return dir.FullName;
        throw new InvalidOperationException("Cannot find the repository root (MLTrack.Ide.sln with tests/maildev).");
    }
}
