using Microsoft.AspNetCore.Http;
using MLTrack.Core.Artifacts;
using MLTrack.Core.Runs;
using MLTrack.Core.Storage;
using MLTrack.Server.Http.Dto;

namespace MLTrack.Server.Http;

/// <summary>Handlers of <c>/api/2.0/mlflow/runs/*</c> (lifecycle, search, params, tags). Routes are declared in <see cref="RestRoutes"/>.</summary>
internal sealed class RunEndpoints(ITrackingStore store, IArtifactStore artifacts)
{
    public async Task Create(HttpContext ctx)
    {
        var req = await ApiJson.ReadBodyAsync<CreateRunRequest>(ctx);
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        var list = req.Tags ?? [];
        for (int i = 0; i < list.Count; i++)
        {
            var (k, v) = MlflowLimits.Tag(list[i], $"tags[{i}]");
            tags[k] = v;
        }
        MlflowLimits.Name(req.RunName, "run_name", "run name");
        var experimentId = req.ExperimentId is { Length: > 0 } e ? e
            : MlflowLimits.Name(req.MltrackExperimentName, "mltrack_experiment_name", "experiment name") is { Length: > 0 } name
                ? store.GetOrCreateExperiment(name).ExperimentId
            : Experiment.DefaultId;
        var runId = req.RunId is { Length: > 0 } id ? id : null;
        if (runId is not null && TryReplay(runId, experimentId) is { } replayed)
        {
            await ApiJson.WriteAsync(ctx, new RunResponse { Run = MlflowMapping.ToMessage(replayed) });
            return;
        }
        var parent = tags.GetValueOrDefault(MlflowMapping.ParentRunTag);
        if (parent is not null && !Exists(parent)) parent = null; // kept as a tag; the link needs a run we know
        var newRun = new NewRun
        {
            RunId = runId,
            ExperimentId = experimentId,
            Name = req.RunName is { Length: > 0 } n ? n : tags.GetValueOrDefault(MlflowMapping.RunNameTag),
            User = req.UserId is { Length: > 0 } u ? u : tags.GetValueOrDefault(MlflowMapping.UserTag),
            StartTime = req.StartTime,
            ParentRunId = parent,
            Tags = tags,
            ArtifactLocation = artifacts.Location,
        };
        Run run;
        try
        {
            run = store.CreateRun(newRun);
        }
        catch (StoreException ex) when (ex.Code == StoreErrorCode.ResourceAlreadyExists && runId is not null && TryReplay(runId, experimentId) is { } raced)
        {
            run = raced; // a concurrent replay of the same create won
        }
        await ApiJson.WriteAsync(ctx, new RunResponse { Run = MlflowMapping.ToMessage(run) });
    }

    /// <summary>The existing run when a create with a client-chosen id is replayed; a clash with another experiment is refused.</summary>
    private Run? TryReplay(string runId, string experimentId)
    {
        Run existing;
        try
        {
            existing = store.GetRun(runId);
        }
        catch (StoreException e) when (e.Code == StoreErrorCode.ResourceDoesNotExist)
        {
            return null;
        }
        if (existing.ExperimentId != experimentId)
            throw new ApiException(ErrorCodes.ResourceAlreadyExists,
                $"Run '{runId}' already exists in experiment '{existing.ExperimentId}', not in experiment '{experimentId}'.");
        return existing;
    }

    private bool Exists(string runId)
    {
        try
        {
            store.GetRun(runId);
            return true;
        }
        catch (StoreException e) when (e.Code == StoreErrorCode.ResourceDoesNotExist)
        {
            return false;
        }
    }

    public async Task Get(HttpContext ctx)
    {
        var req = await ApiJson.ReadRequestAsync<RunIdRequest>(ctx);
        await ApiJson.WriteAsync(ctx, new RunResponse { Run = MlflowMapping.ToMessage(store.GetRun(req.RequireRunId())) });
    }

    public async Task Update(HttpContext ctx)
    {
        var req = await ApiJson.ReadBodyAsync<UpdateRunRequest>(ctx);
        var runId = req.RequireRunId();
        var update = new RunUpdate
        {
            Status = req.Status is { Length: > 0 } s ? MlflowMapping.ParseStatus(s, "status") : null,
            EndTime = req.EndTime,
            Name = MlflowLimits.Name(req.RunName, "run_name", "run name") is { Length: > 0 } n ? n : null,
        };
        store.UpdateRun(runId, update);
        await ApiJson.WriteAsync(ctx, new UpdateRunResponse { RunInfo = MlflowMapping.ToInfo(store.GetRun(runId)) });
    }

    public async Task Delete(HttpContext ctx)
    {
        var req = await ApiJson.ReadBodyAsync<RunIdRequest>(ctx);
        store.DeleteRun(req.RequireRunId());
        await ApiJson.WriteAsync(ctx, EmptyResponse.Instance);
    }

    public async Task Restore(HttpContext ctx)
    {
        var req = await ApiJson.ReadBodyAsync<RunIdRequest>(ctx);
        store.RestoreRun(req.RequireRunId());
        await ApiJson.WriteAsync(ctx, EmptyResponse.Instance);
    }

    public async Task Search(HttpContext ctx)
    {
        var req = await ApiJson.ReadRequestAsync<SearchRunsRequest>(ctx);
        var page = store.SearchRuns(new RunQuery
        {
            ExperimentIds = req.ExperimentIds ?? [],
            Filter = req.Filter,
            OrderBy = req.OrderBy ?? [],
            MaxResults = MlflowLimits.SearchResults(req.MaxResults),
            PageToken = req.PageToken is { Length: > 0 } t ? t : null,
            ViewType = MlflowMapping.ParseViewType(req.RunViewType, "run_view_type"),
        });
        await ApiJson.WriteAsync(ctx, new SearchRunsResponse { Runs = page.Runs.Select(MlflowMapping.ToMessage).ToList(), NextPageToken = page.NextPageToken });
    }

    public async Task LogParameter(HttpContext ctx)
    {
        var req = await ApiJson.ReadBodyAsync<KeyValueRunRequest>(ctx);
        var runId = req.RequireRunId();
        var key = MlflowLimits.Key(req.Key, "key", "Param");
        var value = MlflowLimits.ParamValue(req.Value, "value", key);
        store.LogBatch(runId, new RunBatch { Params = [new(key, value)] });
        await ApiJson.WriteAsync(ctx, EmptyResponse.Instance);
    }

    public async Task SetTag(HttpContext ctx)
    {
        var req = await ApiJson.ReadBodyAsync<KeyValueRunRequest>(ctx);
        var runId = req.RequireRunId();
        var key = MlflowLimits.Key(req.Key, "key", "Tag");
        var value = MlflowLimits.TagValue(req.Value, "value", key);
        if (key == MlflowMapping.RunNameTag) MlflowLimits.Name(value, "value", "run name"); // checked before the tag is written
        store.SetTag(runId, key, value);
        // As MLflow does, setting mlflow.runName renames the run.
        if (key == MlflowMapping.RunNameTag && value.Length > 0) store.UpdateRun(runId, new RunUpdate { Name = value });
        await ApiJson.WriteAsync(ctx, EmptyResponse.Instance);
    }

    public async Task DeleteTag(HttpContext ctx)
    {
        var req = await ApiJson.ReadBodyAsync<DeleteTagRequest>(ctx);
        store.DeleteTag(req.RequireRunId(), req.Key is { Length: > 0 } k ? k : throw ApiException.MissingParameter("key"));
        await ApiJson.WriteAsync(ctx, EmptyResponse.Instance);
    }
}
