using System.Collections;
using System.ComponentModel;
using System.Diagnostics;

namespace MLTrack.Core.Deploy;

/// <summary>
/// Deploys a model to Modal with the <c>modal</c> command line: PENDING → UPLOADING (model made reachable: the given
/// presigned URL or volume, or <c>uploadModel</c>) → BUILDING (<c>modal deploy</c> started, image building) → DEPLOYING
/// (image built, objects being created) → READY with the <c>https://….modal.run</c> URL from its output, or FAILED with
/// the tool's own message; <see cref="StopAsync"/> runs <c>modal app stop NAME</c> → STOPPED.
/// The token comes from <see cref="ModalCredentials"/> or the backend's MODAL_TOKEN_ID/MODAL_TOKEN_SECRET and goes to
/// the <c>modal</c> process's environment only; logs and messages are redacted.
/// </summary>
/// <param name="uploadModel">Makes the model reachable and returns its (presigned) URL; used when the config gives
/// neither <see cref="DeploymentConfig.ModelUrl"/> nor <see cref="DeploymentConfig.ModalVolume"/>.</param>
public sealed class ModalDeployment(
    ModelInfo model,
    DeploymentConfig config,
    string workDirectory,
    ModalCredentials? credentials = null,
    Func<ModelInfo, CancellationToken, Task<string>>? uploadModel = null,
    TimeSpan? commandTimeout = null) : DeploymentStatusTracker, IDeployment
{
    public const string NotFoundMessage = "modal CLI not found: install it with pip install modal and run modal token new (or set the path to the modal executable in the deployment settings)";

    private readonly SemaphoreSlim _lifecycle = new(1, 1);
    private readonly TimeSpan _timeout = commandTimeout ?? TimeSpan.FromMinutes(20);
    private string? _modelUrl;
    private bool _deployAttempted;

    public string Target => "modal";
    public DeploymentConfig Config { get; } = config;
    public ModelInfo Model { get; } = model;
    public string WorkDirectory { get; } = Path.GetFullPath(workDirectory);
    /// <summary>The generated app file once written.</summary>
    public string? AppFile { get; private set; }

    public async Task StartAsync(CancellationToken cancel = default)
    {
        await _lifecycle.WaitAsync(cancel).ConfigureAwait(false);
        try
        {
            if (Status != DeploymentStatus.PENDING) throw new InvalidOperationException($"The deployment was already started (status {Status}).");
            Config.EnsureValid();
            if (Config.ModelUrl is null && Config.ModalVolume is null && uploadModel is null)
                throw new DeploymentException("No model source for Modal: give a model URL (presigned S3 GET) or a Modal volume.");
            var modal = ResolveExecutable(Config.ModalExecutable) ?? throw new DeploymentException(NotFoundMessage);

            SetStatus(DeploymentStatus.UPLOADING, Config.ModalVolume is { } vol ? $"Using the model on Modal volume '{vol}'" : "Making the model reachable for Modal");
            _modelUrl = Config.ModelUrl;
            if (_modelUrl is null && Config.ModalVolume is null) _modelUrl = await uploadModel!(Model, cancel).ConfigureAwait(false);
            AppFile = ModalAppGenerator.Generate(Model, Config, WorkDirectory);

            SetStatus(DeploymentStatus.BUILDING, "modal deploy: building the image");
            _deployAttempted = true;
            string? url = null;
            var result = await RunModalAsync(modal, ["deploy", ModalAppGenerator.AppFileName], line =>
            {
                url = ModalOutput.EndpointUrl(line) ?? url;
                if (Status == DeploymentStatus.BUILDING && ModalOutput.AnnouncesDeploying(line))
                    SetStatus(DeploymentStatus.DEPLOYING, "modal deploy: creating the app's objects");
            }, cancel).ConfigureAwait(false);
            if (result.ExitCode != 0) throw new DeploymentException(ModalOutput.ErrorMessage(result.Lines, result.ExitCode));
            if (url is null) throw new DeploymentException("modal deploy succeeded but printed no https://….modal.run endpoint URL.");
            if (Status == DeploymentStatus.BUILDING) SetStatus(DeploymentStatus.DEPLOYING, "modal deploy: creating the app's objects");
            SetStatus(DeploymentStatus.READY, "Deployed to " + url, url);
        }
        catch (DeploymentException e)
        {
            SetStatus(DeploymentStatus.FAILED, Redactor().Redact(e.Message));
        }
        catch (IOException e)
        {
            SetStatus(DeploymentStatus.FAILED, "Could not write the Modal app: " + e.Message);
        }
        catch (OperationCanceledException)
        {
            SetStatus(DeploymentStatus.FAILED, "Deployment was cancelled.");
            throw;
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    /// <summary>Runs <c>modal app stop NAME</c> when something may have been deployed; STOPPED. A second call does nothing.</summary>
    /// <exception cref="DeploymentException">The tool refused for another reason than the app being gone already.</exception>
    public async Task StopAsync(CancellationToken cancel = default)
    {
        await _lifecycle.WaitAsync(cancel).ConfigureAwait(false);
        try
        {
            if (Status == DeploymentStatus.STOPPED) return;
            if (_deployAttempted)
            {
                var modal = ResolveExecutable(Config.ModalExecutable) ?? throw new DeploymentException(NotFoundMessage);
                var result = await RunModalAsync(modal, ["app", "stop", Config.AppName], null, cancel).ConfigureAwait(false);
                if (result.ExitCode != 0)
                {
                    var message = ModalOutput.ErrorMessage(result.Lines, result.ExitCode);
                    if (!message.Contains("not found", StringComparison.OrdinalIgnoreCase) && !message.Contains("no app", StringComparison.OrdinalIgnoreCase)
                        && !message.Contains("could not find", StringComparison.OrdinalIgnoreCase))
                        throw new DeploymentException("modal app stop failed: " + message);
                }
            }
            SetStatus(DeploymentStatus.STOPPED, "Stopped");
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    /// <summary>Releases local resources only: a deployed Modal app keeps running until <see cref="StopAsync"/>.</summary>
    public ValueTask DisposeAsync()
    {
        _lifecycle.Dispose();
        return ValueTask.CompletedTask;
    }

    private sealed record ToolResult(int ExitCode, IReadOnlyList<string> Lines);

    /// <summary>Runs the CLI in <see cref="WorkDirectory"/>, each output line (redacted, cleaned) logged and passed to
    /// <paramref name="onLine"/> in the order read.</summary>
    private async Task<ToolResult> RunModalAsync(string modal, string[] args, Action<string>? onLine, CancellationToken cancel)
    {
        var psi = new ProcessStartInfo(modal)
        {
            WorkingDirectory = WorkDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        if (credentials is not null)
        {
            psi.Environment["MODAL_TOKEN_ID"] = credentials.TokenId;
            psi.Environment["MODAL_TOKEN_SECRET"] = credentials.TokenSecret;
        }
        if (_modelUrl is not null) psi.Environment[ModalAppGenerator.ModelUrlVariable] = _modelUrl;
        psi.Environment["NO_COLOR"] = "1";
        psi.Environment["TERM"] = "dumb";
        psi.Environment["PYTHONIOENCODING"] = "utf-8";
        var redactor = Redactor();
        AddLog("$ modal " + string.Join(' ', args));

        Process process;
        try
        {
            process = Process.Start(psi) ?? throw new DeploymentException(NotFoundMessage);
        }
        catch (Win32Exception)
        {
            throw new DeploymentException(NotFoundMessage);
        }
        using (process)
        {
            process.StandardInput.Close();
            var lines = new List<string>();
            var gate = new Lock();
            async Task Pump(StreamReader reader)
            {
                while (await reader.ReadLineAsync(CancellationToken.None).ConfigureAwait(false) is { } raw)
                {
                    var line = redactor.Redact(ModalOutput.Clean(raw));
                    lock (gate)
                    {
                        lines.Add(line);
                        AddLog(line);
                        onLine?.Invoke(line);
                    }
                }
            }
            var pumps = Task.WhenAll(Pump(process.StandardOutput), Pump(process.StandardError));
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancel);
            limit.CancelAfter(_timeout);
            try
            {
                await process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
                await pumps.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                PythonRunner.Kill(process);
                cancel.ThrowIfCancellationRequested();
                throw new DeploymentException($"modal {args[0]} did not finish within {_timeout.TotalMinutes:0} minutes and was stopped.");
            }
            lock (gate) return new ToolResult(process.ExitCode, [.. lines]);
        }
    }

    private SecretRedactor Redactor()
    {
        var env = Environment.GetEnvironmentVariables().Cast<DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value);
        return new SecretRedactor(SecretRedactor.FromEnvironment(env).Concat([credentials?.TokenId, credentials?.TokenSecret, _modelUrl]));
    }

    /// <summary>The modal executable: <paramref name="configured"/> (a path, or a name looked up on PATH), else
    /// <c>modal</c> on PATH; null when there is none.</summary>
    internal static string? ResolveExecutable(string? configured)
    {
        var name = string.IsNullOrWhiteSpace(configured) ? "modal" : configured.Trim();
        if (name.Contains(Path.DirectorySeparatorChar) || name.Contains('/'))
            return File.Exists(name) ? Path.GetFullPath(name) : null;
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate) && (OperatingSystem.IsWindows() || (File.GetUnixFileMode(candidate) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0))
                return candidate;
        }
        return null;
    }
}
