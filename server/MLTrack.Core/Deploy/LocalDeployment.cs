using System.Diagnostics;

namespace MLTrack.Core.Deploy;

/// <summary>
/// Serves a model on this machine: writes the predictor package (predictor.py, openapi.json, model/) and a standard-library
/// <c>server.py</c> into <see cref="WorkDirectory"/>, starts it with <see cref="PythonRunner"/> on 127.0.0.1 and a free
/// port (<c>/predict</c>, <c>/health</c>, <c>/openapi.json</c>), and stops it by its process handle. Statuses:
/// PENDING → BUILDING (package) → DEPLOYING (server starting, model loading) → READY, or FAILED; STOPPED.
/// Traffic is read back from the server's <c>metrics.jsonl</c> as <see cref="GetStats"/>.
/// </summary>
public sealed class LocalDeployment(ModelInfo model, DeploymentConfig config, string workDirectory, PythonRunner python)
    : DeploymentStatusTracker, IDeployment
{
    public const string ServerFileName = "server.py";
    public const string MetricsFileName = "metrics.jsonl";
    private const string ListeningMarker = "MLTRACK_LISTENING ";

    private readonly SemaphoreSlim _lifecycle = new(1, 1);
    private readonly RequestLog _requests = RequestLog.For(Path.Combine(workDirectory, MetricsFileName));
    private Process? _process;
    private volatile bool _stopping;

    public string Target => "local";
    public DeploymentConfig Config { get; } = config;
    public ModelInfo Model { get; } = model;
    public string WorkDirectory { get; } = Path.GetFullPath(workDirectory);
    /// <summary>The server's process id while it runs.</summary>
    public int? ProcessId => _process is { } p && !HasExited(p) ? p.Id : null;

    public DeploymentStats GetStats() => _requests.Read();

    public async Task StartAsync(CancellationToken cancel = default)
    {
        await _lifecycle.WaitAsync(cancel).ConfigureAwait(false);
        try
        {
            if (Status != DeploymentStatus.PENDING) throw new InvalidOperationException($"The deployment was already started (status {Status}).");
            Config.EnsureValid();
            SetStatus(DeploymentStatus.BUILDING, "Writing the predictor package to " + WorkDirectory);
            PredictorGenerator.Generate(Model, WorkDirectory, Config.Title, Config.Version);
            PredictorGenerator.WorkFolder(WorkDirectory).WriteAllText(ServerFileName, DeployTemplates.Render(DeployTemplates.Server,
                new Dictionary<string, string> { ["RUN_ID"] = PredictorGenerator.OneLine(Model.RunId) }));

            SetStatus(DeploymentStatus.DEPLOYING, "Starting the local server and loading the model");
            var port = await LaunchAsync(cancel).ConfigureAwait(false);
            var url = $"http://127.0.0.1:{port}";
            SetStatus(DeploymentStatus.READY, "Serving on " + url, url);
        }
        catch (DeploymentException e)
        {
            KillServer();
            SetStatus(DeploymentStatus.FAILED, e.Message);
        }
        catch (OperationCanceledException)
        {
            KillServer();
            SetStatus(DeploymentStatus.FAILED, "Deployment was cancelled.");
            throw;
        }
        catch (IOException e)
        {
            KillServer();
            SetStatus(DeploymentStatus.FAILED, "Could not write the predictor package: " + e.Message);
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    public async Task StopAsync(CancellationToken cancel = default)
    {
        await _lifecycle.WaitAsync(cancel).ConfigureAwait(false);
        try
        {
            if (Status == DeploymentStatus.STOPPED) return;
            _stopping = true;
            if (_process is { } p)
            {
                PythonRunner.Kill(p);
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancel);
                wait.CancelAfter(TimeSpan.FromSeconds(10));
                try { await p.WaitForExitAsync(wait.Token).ConfigureAwait(false); }
                catch (OperationCanceledException) { cancel.ThrowIfCancellationRequested(); }
            }
            SetStatus(DeploymentStatus.STOPPED, "Stopped");
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _process?.Dispose();
        _lifecycle.Dispose();
    }

    /// <summary>Starts server.py and waits for its "listening" line; FAILED text is the server's last error line.</summary>
    private async Task<int> LaunchAsync(CancellationToken cancel)
    {
        var args = new[] { "--host", "127.0.0.1", "--port", "0", "--metrics", _requests.Path };
        var psi = python.StartInfo(ServerFileName, args, WorkDirectory);
        foreach (var (key, value) in Config.EnvironmentVariables) psi.Environment[key] = value;
        var process = python.Start(psi, "to serve the model");
        _process = process;
        process.StandardInput.Close();

        var listening = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var lastError = "";
        _ = Task.Run(async () =>
        {
            while (await process.StandardError.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                if (line.Trim().Length > 0) lastError = line.Trim();
                AddLog(line);
            }
        }, CancellationToken.None);
        _ = Task.Run(async () =>
        {
            while (await process.StandardOutput.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                AddLog(line);
                if (line.StartsWith(ListeningMarker, StringComparison.Ordinal) && int.TryParse(line.AsSpan(ListeningMarker.Length), out var port))
                    listening.TrySetResult(port);
            }
            await process.WaitForExitAsync().ConfigureAwait(false);
            await Task.Delay(50).ConfigureAwait(false); // let the stderr reader take the last lines
            var message = $"The local server exited (code {process.ExitCode}): {lastError}";
            if (!listening.TrySetException(new DeploymentException(message)) && !_stopping && Status == DeploymentStatus.READY)
                SetStatus(DeploymentStatus.FAILED, message);
        }, CancellationToken.None);

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        limit.CancelAfter(python.Timeout);
        try
        {
            return await listening.Task.WaitAsync(limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
        {
            throw new DeploymentException($"The local server did not start within {python.Timeout.TotalSeconds:0} s: {lastError}");
        }
    }

    private void KillServer()
    {
        if (_process is { } p) PythonRunner.Kill(p);
    }

    private static bool HasExited(Process p)
    {
        try { return p.HasExited; }
        catch (InvalidOperationException) { return true; }
    }
}
