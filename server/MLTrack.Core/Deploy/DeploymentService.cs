using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using MLTrack.Core.Artifacts;
using MLTrack.Core.Artifacts.S3;
using MLTrack.Core.Launch;
using MLTrack.Core.Storage;

namespace MLTrack.Core.Deploy;

/// <summary>
/// Creates, tracks, stops and deletes the deployments of one store. A deployment runs in the process that created it:
/// <see cref="Create"/> returns the PENDING record at once and the work goes on in the background, every status change
/// saved to the store and raised through <see cref="Changed"/>. One service per process and store (the composition
/// root builds it and hands it to the RPC and REST surfaces), so both see the same live deployments. On creation,
/// records left live by a process that is gone are marked STOPPED.
/// Environment: <c>MLTRACK_DEPLOY_PYTHON</c> (interpreter; default /usr/bin/python3 when present, else python3),
/// <c>MLTRACK_MODAL_EXECUTABLE</c> (the modal CLI), <c>MLTRACK_MODEL_STORE</c> (s3://bucket/prefix the model is uploaded
/// to for Modal, fetched with a presigned URL), <c>MLTRACK_MODAL_MODEL_URL</c> (an https URL where the model already is).
/// </summary>
public sealed class DeploymentService : IAsyncDisposable
{
    public const string FolderName = "deployments";

    private readonly ITrackingStore _store;
    private readonly IArtifactStore? _artifacts;
    private readonly ConcurrentDictionary<string, Live> _live = new();
    private readonly Lock _saveLock = new();

    private sealed class Live(IDeployment deployment)
    {
        public IDeployment Deployment { get; set; } = deployment;
        public Task Work = Task.CompletedTask;
        public readonly CancellationTokenSource Cancel = new();
        public readonly List<string> Early = [];
    }

    /// <param name="workRoot">Folder holding one work folder per deployment (the workspace's <c>.mltrack/deployments</c> by default, chosen by the caller).</param>
    /// <param name="artifacts">Where the runs' models are; null: the store's local artifact folder.</param>
    public DeploymentService(ITrackingStore store, string workRoot, string? pythonExecutable = null, string? modalExecutable = null,
        IArtifactStore? artifacts = null)
    {
        _store = store;
        _artifacts = artifacts;
        WorkRoot = Path.GetFullPath(workRoot);
        Python = new PythonRunner(pythonExecutable ?? DefaultPython);
        ModalExecutable = modalExecutable ?? (Environment.GetEnvironmentVariable("MLTRACK_MODAL_EXECUTABLE") is { Length: > 0 } m ? m : null);
        MarkOrphansStopped();
    }

    public static string DefaultPython =>
        Environment.GetEnvironmentVariable("MLTRACK_DEPLOY_PYTHON") is { Length: > 0 } p ? p
        : File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";

    public string WorkRoot { get; }
    public PythonRunner Python { get; }
    public string? ModalExecutable { get; }

    /// <summary>Raised after each saved change (outside any lock).</summary>
    public event Action<DeploymentRecord>? Changed;

    public static readonly IReadOnlyList<string> Targets = ["local", "modal"];

    /// <summary>Whether <paramref name="runId"/> has a deployable model (no prediction is run).</summary>
    /// <exception cref="StoreException">Unknown run.</exception>
    public async Task<CanDeployResult> CanDeployAsync(string runId, CancellationToken cancel = default)
    {
        var id = _store.ResolveRunId(runId);
        try
        {
            var model = await new ModelInspector(_store, Python, _artifacts).InspectAsync(id, runPrediction: false, cancel).ConfigureAwait(false);
            return new CanDeployResult(true, null, model.FrameworkName);
        }
        catch (DeploymentException e)
        {
            return new CanDeployResult(false, e.Message, null);
        }
    }

    /// <summary>Validates and records a PENDING deployment, then deploys in the background.</summary>
    /// <exception cref="StoreException">Unknown run.</exception>
    /// <exception cref="DeploymentException">Unknown target or invalid settings.</exception>
    public DeploymentRecord Create(string runId, string target, DeploymentSettings? settings, ModalCredentials? credentials = null)
    {
        settings ??= new DeploymentSettings();
        var run = _store.GetRun(_store.ResolveRunId(runId));
        target = (target ?? "").Trim().ToLowerInvariant();
        if (!Targets.Contains(target)) throw new DeploymentException($"Unknown deployment target '{target}': use local or modal.");
        settings.ToConfig(run.RunId).EnsureValid();
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var record = new DeploymentRecord
        {
            DeploymentId = Guid.NewGuid().ToString("N"),
            RunId = run.RunId,
            Target = target,
            Name = settings.AppNameFor(run.RunId),
            ModelName = settings.ModelName,
            ModelVersion = settings.ModelVersion,
            Status = DeploymentStatus.PENDING,
            Message = "Queued",
            CreatedAt = now,
            UpdatedAt = now,
            Settings = settings,
            HostPid = Environment.ProcessId,
            HostName = Environment.MachineName,
        };
        _store.SaveDeployment(record);
        var live = new Live(null!);
        _live[record.DeploymentId] = live;
        Changed?.Invoke(record);
        live.Work = Task.Run(() => RunAsync(record, live, credentials));
        return record;
    }

    private async Task RunAsync(DeploymentRecord record, Live live, ModalCredentials? credentials)
    {
        var id = record.DeploymentId;
        try
        {
            var model = await new ModelInspector(_store, Python, _artifacts).InspectAsync(record.RunId, runPrediction: true, live.Cancel.Token).ConfigureAwait(false);
            var dir = Path.Combine(WorkRoot, id);
            IDeployment deployment;
            if (record.Target == "local")
            {
                deployment = new LocalDeployment(model, record.Settings.ToConfig(record.RunId), dir, Python);
            }
            else
            {
                var url = Environment.GetEnvironmentVariable("MLTRACK_MODAL_MODEL_URL") is { Length: > 0 } u ? u : null;
                deployment = new ModalDeployment(model, record.Settings.ToConfig(record.RunId, ModalExecutable, url), dir, credentials,
                    url is null ? UploadModelAsync : null);
            }
            live.Deployment = deployment;
            deployment.StatusChanged += change => Update(id, r => r with
            {
                Status = change.Status,
                Message = change.Message,
                EndpointUrl = change.EndpointUrl ?? r.EndpointUrl,
            });
            if (live.Cancel.IsCancellationRequested) { Update(id, r => r with { Status = DeploymentStatus.STOPPED, Message = "Stopped" }); return; }
            await deployment.StartAsync(live.Cancel.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (live.Cancel.IsCancellationRequested)
        {
            Update(id, r => r with { Status = DeploymentStatus.STOPPED, Message = "Stopped" });
        }
        catch (Exception e) when (e is DeploymentException or StoreException or IOException or ModelStorageException)
        {
            lock (live.Early) live.Early.Add(e.Message);
            Update(id, r => r with { Status = DeploymentStatus.FAILED, Message = e.Message });
        }
        catch (Exception e)
        {
            lock (live.Early) live.Early.Add(e.ToString());
            Update(id, r => r with { Status = DeploymentStatus.FAILED, Message = "Unexpected error: " + e.Message });
        }
    }

    /// <summary>Uploads the model to the S3 model store named by MLTRACK_MODEL_STORE and returns a presigned GET URL.</summary>
    private static async Task<string> UploadModelAsync(ModelInfo model, CancellationToken cancel)
    {
        var uri = Environment.GetEnvironmentVariable("MLTRACK_MODEL_STORE");
        if (string.IsNullOrWhiteSpace(uri))
            throw new DeploymentException("Modal needs the model reachable from its cloud: set MLTRACK_MODEL_STORE=s3://bucket/prefix (with AWS credentials in the environment) or MLTRACK_MODAL_MODEL_URL to an https URL of the model file.");
        if (Directory.Exists(model.LocalPath))
            throw new DeploymentException($"The model '{model.ArtifactPath}' is a folder; Modal deployment through S3 needs a single model file.");
        using var storage = new S3ModelStorage(S3StorageOptions.FromUri(uri));
        await storage.EnsureBucketAsync(cancel).ConfigureAwait(false);
        var stored = await storage.UploadFileAsync(model.LocalPath, $"{model.RunId}/{model.ModelFileName}", cancel).ConfigureAwait(false);
        return storage.GetPresignedGetUrl(stored.Key, TimeSpan.FromHours(24), stored.VersionId).ToString();
    }

    private DeploymentRecord? Update(string id, Func<DeploymentRecord, DeploymentRecord> change)
    {
        DeploymentRecord? updated;
        lock (_saveLock)
        {
            var current = _store.FindDeployment(id);
            if (current is null) return null;
            updated = change(current) with { UpdatedAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() };
            _store.SaveDeployment(updated);
        }
        Changed?.Invoke(updated);
        return updated;
    }

    public IReadOnlyList<DeploymentRecord> List(string? runId = null) =>
        _store.ListDeployments(runId is null ? null : _store.ResolveRunId(runId));

    /// <exception cref="StoreException">No deployment with that id.</exception>
    public DeploymentRecord Get(string deploymentId) =>
        _store.FindDeployment(deploymentId) ?? throw new StoreException(StoreErrorCode.ResourceDoesNotExist, $"No deployment '{deploymentId}'.");

    /// <summary>Traffic of a local deployment served by this process; null otherwise.</summary>
    public DeploymentStats? GetStats(string deploymentId)
    {
        if (_live.TryGetValue(deploymentId, out var live) && live.Deployment is LocalDeployment local) return local.GetStats();
        var record = _store.FindDeployment(deploymentId);
        if (record is { Target: "local" })
        {
            var work = WorkFolder(deploymentId);
            return work.IsFile(LocalDeployment.MetricsFileName) ? RequestLog.For(work.Resolve(LocalDeployment.MetricsFileName)).Read() : DeploymentStats.Empty;
        }
        return null;
    }

    /// <summary>The output of the tools and servers behind the deployment (this process's deployments), redacted.</summary>
    public IReadOnlyList<string> GetLogs(string deploymentId)
    {
        var record = Get(deploymentId);
        if (!_live.TryGetValue(deploymentId, out var live))
            return record.Message is { } m ? [$"[{record.Status}] {m}"] : [];
        var lines = new List<string>();
        lock (live.Early) lines.AddRange(live.Early);
        if (live.Deployment is { } d) lines.InsertRange(0, d.Logs);
        return lines;
    }

    /// <summary>The OpenAPI document of the deployment's endpoint.</summary>
    public async Task<JsonNode> GetOpenApiAsync(string deploymentId, CancellationToken cancel = default)
    {
        var record = Get(deploymentId);
        var work = WorkFolder(deploymentId);
        JsonObject spec;
        if (work.IsFile(PredictorGenerator.OpenApiFileName)) spec = (JsonObject)JsonNode.Parse(work.ReadAllText(PredictorGenerator.OpenApiFileName))!;
        else
        {
            var model = await new ModelInspector(_store, Python, _artifacts).InspectAsync(record.RunId, runPrediction: true, cancel).ConfigureAwait(false);
            var config = record.Settings.ToConfig(record.RunId);
            spec = OpenApiSpec.Build(model, config.Title, config.Version);
        }
        if (record.EndpointUrl is { } url) spec["servers"] = new JsonArray(new JsonObject { ["url"] = url });
        return spec;
    }

    /// <summary>Waits until the deployment is READY, FAILED or STOPPED, or <paramref name="timeout"/> passed; the record then.</summary>
    public async Task<DeploymentRecord> WaitAsync(string deploymentId, TimeSpan timeout, CancellationToken cancel = default)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnChanged(DeploymentRecord r)
        {
            if (r.DeploymentId == deploymentId && r.IsSettled) done.TrySetResult();
        }
        Changed += OnChanged;
        try
        {
            if (Get(deploymentId).IsSettled) return Get(deploymentId);
            try { await done.Task.WaitAsync(timeout, cancel).ConfigureAwait(false); }
            catch (TimeoutException) { }
            return Get(deploymentId);
        }
        finally
        {
            Changed -= OnChanged;
        }
    }

    /// <summary>Stops the deployment (harmless when already stopped or failed); STOPPED.</summary>
    public async Task<DeploymentRecord> StopAsync(string deploymentId, CancellationToken cancel = default)
    {
        var record = Get(deploymentId);
        if (_live.TryGetValue(deploymentId, out var live))
        {
            await live.Cancel.CancelAsync().ConfigureAwait(false);
            try { await live.Work.ConfigureAwait(false); }
            catch (Exception) { /* recorded by RunAsync */ }
            if (live.Deployment is { } d) await d.StopAsync(cancel).ConfigureAwait(false);
            record = Get(deploymentId);
        }
        if (record.Status != DeploymentStatus.STOPPED)
            record = Update(deploymentId, r => r with { Status = DeploymentStatus.STOPPED, Message = r.Status == DeploymentStatus.FAILED ? r.Message : "Stopped" }) ?? record;
        return record;
    }

    /// <summary>Stops, then removes the record and its working folder.</summary>
    public async Task DeleteAsync(string deploymentId, CancellationToken cancel = default)
    {
        await StopAsync(deploymentId, cancel).ConfigureAwait(false);
        if (_live.TryRemove(deploymentId, out var live) && live.Deployment is { } d) await d.DisposeAsync().ConfigureAwait(false);
        _store.DeleteDeployment(deploymentId);
        try
        {
            WorkFolder(deploymentId).DeleteAll();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // the record is gone; a leftover folder is harmless
        }
    }

    /// <summary>A deployment's work folder in <see cref="WorkRoot"/>, every file of which is reached without following a symbolic link.</summary>
    private ArtifactFolder WorkFolder(string deploymentId) => new(WorkRoot, deploymentId, "the deployment's folder");

    /// <summary>Records left live by a process that is no longer running: STOPPED.</summary>
    /// <summary>Only this machine can tell whether the hosting process is alive (another replica's pid means nothing here).</summary>
    private static bool IsOnThisMachine(DeploymentRecord r) => r.HostName is null || r.HostName == Environment.MachineName;

    private void MarkOrphansStopped()
    {
        foreach (var r in _store.ListDeployments())
        {
            if (!r.IsLive || r.HostPid == Environment.ProcessId || !IsOnThisMachine(r) || ProcessTree.IsAlive(r.HostPid)) continue;
            _store.SaveDeployment(r with
            {
                Status = DeploymentStatus.STOPPED,
                Message = $"Stopped: the process that hosted it (pid {r.HostPid}) is gone.",
                UpdatedAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
            });
        }
    }

    /// <summary>Stops the local deployments of this process (Modal apps keep running until stopped explicitly).</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var (id, live) in _live)
        {
            try
            {
                if (live.Deployment is null or LocalDeployment) await StopAsync(id).ConfigureAwait(false);
                if (live.Deployment is { } d) await d.DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is DeploymentException or StoreException or ObjectDisposedException or InvalidOperationException)
            {
            }
        }
        _live.Clear();
    }
}
