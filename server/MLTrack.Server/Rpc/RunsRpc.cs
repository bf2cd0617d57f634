using MLTrack.Core.Names;
using MLTrack.Core.Artifacts;
using MLTrack.Core.Git;
using MLTrack.Core.Storage;
using MLTrack.Server.Rpc.Dto;

namespace MLTrack.Server.Rpc;

/// <summary>runs/*.</summary>
public sealed class RunsRpc(RpcSession session) : IRunsRpc
{
    public const int DefaultPageSize = 100;

    public Task<RunsListResult> ListAsync(RunsListParams? request = null, CancellationToken cancellationToken = default)
    {
        request ??= new RunsListParams();
        var store = session.Store;
        var page = store.SearchRuns(new RunQuery
        {
            Filter = request.Filter,
            OrderBy = request.OrderBy ?? [],
            ExperimentIds = request.ExperimentIds ?? [],
            MaxResults = request.MaxResults ?? DefaultPageSize,
            PageToken = request.PageToken,
            ViewType = DtoMapper.ParseView(request.View),
        });
        var names = DtoMapper.ExperimentNames(store);
        var rows = page.Runs.Select(r => DtoMapper.ToRow(r, names.GetValueOrDefault(r.ExperimentId, r.ExperimentId))).ToList();
        return Task.FromResult(new RunsListResult(rows, page.NextPageToken));
    }

    public const string CodeDiffArtifact = "code.diff";

    public Task<CodeDiffResult> CodeDiffAsync(CodeDiffParams request, CancellationToken cancellationToken)
    {
        var store = session.Store;
        var a = store.GetRun(Resolve(request?.RunA, "runA"));
        var b = store.GetRun(Resolve(request?.RunB, "runB"));
        var maxChars = request!.MaxChars ?? 1_000_000;
        if (maxChars < 1) throw RpcException.InvalidParams($"'maxChars' must be at least 1, got {maxChars}.");
        string? diff = null, reason = null;
        bool truncated = false;
        if (a.Git.Commit is null || b.Git.Commit is null)
            reason = "A run has no git commit recorded (it was not launched inside a git repository).";
        else if (a.Git.Commit == b.Git.Commit)
            diff = "";
        else
            (diff, truncated, reason) = CommitDiff.Between(a.Cwd ?? b.Cwd ?? Environment.CurrentDirectory, a.Git.Commit, b.Git.Commit, maxChars);
        var (uncommittedA, cutA) = Uncommitted(store, session.Artifacts, a.RunId, maxChars);
        var (uncommittedB, cutB) = Uncommitted(store, session.Artifacts, b.RunId, maxChars);
        return Task.FromResult(new CodeDiffResult(a.Git.Commit, b.Git.Commit, diff, uncommittedA, uncommittedB, truncated || cutA || cutB, reason));
    }

    private static (string? Text, bool Truncated) Uncommitted(ITrackingStore store, IArtifactStore artifacts, string runId, int maxChars)
    {
        if (!store.ListArtifacts(runId).Any(x => x.Path == CodeDiffArtifact)) return (null, false);
        try
        {
            var slice = new RunArtifacts(store, artifacts, runId).Read(CodeDiffArtifact, 0, maxChars);
            return (System.Text.Encoding.UTF8.GetString(slice.Data), slice.Truncated);
        }
        catch (Exception e) when (e is FileNotFoundException or ArtifactPathException or ArtifactStoreException)
        {
            return (null, false); // no diff to show; a symbolic link in its place is never followed; S3 down: the commits' diff still shows
        }
    }

    public Task<RunDetail> GetAsync(RunIdParams request, CancellationToken cancellationToken)
    {
        var store = session.Store;
        var run = store.GetRun(Resolve(request?.RunId));
        var experiment = store.GetExperiment(run.ExperimentId);
        return Task.FromResult(DtoMapper.ToDetail(run, experiment.Name, store.ListArtifacts(run.RunId), store.ListRunFiles(run.RunId),
            session.Launches.IsLaunchedHere(run.RunId)));
    }

    public Task<LaunchResultDto> LaunchAsync(LaunchParams request, CancellationToken cancellationToken)
    {
        if (request is null) throw RpcException.InvalidParams("runs/launch needs params: {file} or {command}.");
        return session.Launches.LaunchAsync(request, session.WorkspaceFolder, cancellationToken);
    }

    public async Task<StopResult> StopAsync(RunIdParams request, CancellationToken cancellationToken)
    {
        var runId = Resolve(request?.RunId);
        var (stopped, status) = await session.Launches.StopAsync(runId).ConfigureAwait(false);
        return new StopResult(stopped, status.ToString());
    }

    public Task DeleteAsync(RunIdParams request, CancellationToken cancellationToken)
    {
        var runId = Resolve(request?.RunId);
        session.Store.DeleteRun(runId);
        session.Notifier.RunChanged(runId, RunChangeKind.Deleted);
        return Task.CompletedTask;
    }

    public Task RestoreAsync(RunIdParams request, CancellationToken cancellationToken)
    {
        var runId = Resolve(request?.RunId);
        session.Store.RestoreRun(runId);
        session.Notifier.RunChanged(runId, RunChangeKind.Restored);
        return Task.CompletedTask;
    }

    public Task SetTagAsync(SetTagParams request, CancellationToken cancellationToken)
    {
        var runId = Resolve(request?.RunId);
        var key = RpcException.Require(request!.Key, "key");
        if (NameRules.KeyProblem(key) is { } problem) throw RpcException.InvalidParams($"Invalid tag key '{NameRules.Printable(key)}' in 'key': {problem}.");
        session.Store.SetTag(runId, key, request.Value ?? "");
        session.Notifier.RunChanged(runId, RunChangeKind.Tags);
        return Task.CompletedTask;
    }

    public Task DeleteTagAsync(DeleteTagParams request, CancellationToken cancellationToken)
    {
        var runId = Resolve(request?.RunId);
        session.Store.DeleteTag(runId, RpcException.Require(request!.Key, "key"));
        session.Notifier.RunChanged(runId, RunChangeKind.Tags);
        return Task.CompletedTask;
    }

    private string Resolve(string? runId, string name = "runId") => session.Store.ResolveRunId(RpcException.Require(runId, name));
}
