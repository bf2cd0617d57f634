using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using MLTrack.Core.Artifacts.S3;

namespace MLTrack.Core.Tests.S3;

/// <summary>
/// A real S3 protocol server for the S3 tests: npm <c>s3rver</c> 3.7.1 (pinned in tests/s3rver) on a free
/// 127.0.0.1 port with a temporary data folder, started once for the collection and stopped by its pid.
/// Installs tests/s3rver with <c>npm ci</c> when its node_modules is missing (.ci/install-s3rver.sh does the same).
/// Node comes from PATH, or MLTRACK_NODE. Its log (one line per stored object or part) is kept in memory so tests
/// can see what the server received.
/// </summary>
public sealed partial class S3rverFixture : IAsyncLifetime
{
    /// <summary>s3rver's built-in account; any other key is refused with InvalidAccessKeyId.</summary>
    public const string AccessKey = "S3RVER";
    public const string SecretKey = "S3RVER";

    private Process? _process;
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "mltrack-s3rver-" + Guid.NewGuid().ToString("N"));
    private readonly List<string> _output = [];

    public string ServiceUrl { get; private set; } = "";
    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(60) };

    public async Task InitializeAsync()
    {
        var project = Path.Combine(RepoRoot(), "tests", "s3rver");
        var script = Path.Combine(project, "node_modules", "s3rver", "bin", "s3rver.js");
        if (!File.Exists(script)) await NpmCiAsync(project);
        Directory.CreateDirectory(_dataDir);

        var start = new ProcessStartInfo(Node(), [script, "-d", _dataDir, "-a", "127.0.0.1", "-p", "0"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = project,
        };
        var listening = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        _process = new Process { StartInfo = start, EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, e) => OnLine(e.Data, listening);
        _process.ErrorDataReceived += (_, e) => OnLine(e.Data, listening);
        _process.Exited += (_, _) => listening.TrySetException(new InvalidOperationException("s3rver exited: " + Output()));
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var port = await listening.Task.WaitAsync(TimeSpan.FromSeconds(60));
        ServiceUrl = $"http://127.0.0.1:{port}";
    }

    public Task DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
        _process?.Dispose();
        Http.Dispose();
        try { Directory.Delete(_dataDir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        return Task.CompletedTask;
    }

    /// <summary>Options for a bucket of this server with its valid credentials.</summary>
    public S3StorageOptions Options(string bucket, string prefix = "") => new()
    {
        Bucket = bucket,
        Prefix = prefix,
        ServiceUrl = ServiceUrl,
        AccessKeyId = AccessKey,
        SecretAccessKey = SecretKey,
        MaxErrorRetry = 1,
    };

    /// <summary>A storage on a new, existing bucket with a unique name.</summary>
    public async Task<S3ModelStorage> NewStorageAsync(string prefix = "")
    {
        var storage = new S3ModelStorage(Options(NewBucketName(), prefix));
        await storage.EnsureBucketAsync();
        return storage;
    }

    public static string NewBucketName() => "mltrack-" + Guid.NewGuid().ToString("N")[..20];

    /// <summary>The plain (unsigned) URL of an object; s3rver accepts anonymous requests.</summary>
    public Uri ObjectUrl(string bucket, string objectKey) => new($"{ServiceUrl}/{bucket}/{objectKey}");

    /// <summary>The server's log lines mentioning <paramref name="bucket"/> (colour codes removed).</summary>
    public IReadOnlyList<string> LogLines(string bucket)
    {
        lock (_output) return _output.Where(l => l.Contains($"\"{bucket}\"", StringComparison.Ordinal)).ToList();
    }

    private void OnLine(string? line, TaskCompletionSource<int> listening)
    {
        if (line is null) return;
        line = AnsiEscape().Replace(line, "");
        lock (_output) _output.Add(line);
        var match = ListeningLine().Match(line);
        if (match.Success) listening.TrySetResult(int.Parse(match.Groups[1].Value));
    }

    private string Output() { lock (_output) return string.Join('\n', _output); }

    private static async Task NpmCiAsync(string project)
    {
        // One installer at a time (parallel test runs): an exclusive lock file beside package.json.
        await using var lockFile = await AcquireLockAsync(Path.Combine(project, ".install.lock"));
        if (File.Exists(Path.Combine(project, "node_modules", "s3rver", "bin", "s3rver.js"))) return;
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
        if (p.ExitCode != 0)
            throw new InvalidOperationException($"npm ci in {project} failed ({p.ExitCode}): {await stdout}{await stderr}");
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
                if (File.Exists(Path.Combine(dir.FullName, "MLTrack.Ide.sln")) && Directory.Exists(Path.Combine(dir.FullName, "tests", "s3rver")))
                    return dir.FullName;
        throw new InvalidOperationException("Cannot find the repository root (MLTrack.Ide.sln with tests/s3rver).");
    }

    [GeneratedRegex(@"\x1b\[[0-9;]*m")]
    private static partial Regex AnsiEscape();

    [GeneratedRegex(@"listening on [^\s:]+:(\d+)")]
    private static partial Regex ListeningLine();
}

[CollectionDefinition(Name)]
public sealed class S3rverCollection : ICollectionFixture<S3rverFixture>
{
    public const string Name = "s3rver";
}
