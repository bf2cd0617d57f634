using Microsoft.AspNetCore.Http;
using MLTrack.Core.Runs;
using MLTrack.Core.Storage;
using MLTrack.Server.Http.Dto;

namespace MLTrack.Server.Http;

/// <summary>Handlers of <c>/api/2.0/mlflow/experiments/*</c>. Routes are declared in <see cref="RestRoutes"/>.</summary>
internal sealed class ExperimentEndpoints(ITrackingStore store)
{
    public async Task Create(HttpContext ctx)
    {
        var req = await ApiJson.ReadBodyAsync<CreateExperimentRequest>(ctx);
        var name = RequireName(req.Name, "name");
        var tags = ExperimentTags(req.Tags);
        var experiment = store.CreateExperiment(name, req.ArtifactLocation is { Length: > 0 } a ? a : null, tags);
        await ApiJson.WriteAsync(ctx, new CreateExperimentResponse { ExperimentId = experiment.ExperimentId });
    }

    public async Task Get(HttpContext ctx)
    {
        var req = await ApiJson.ReadRequestAsync<ExperimentIdRequest>(ctx);
        var experiment = store.GetExperiment(RequireId(req.ExperimentId));
        await ApiJson.WriteAsync(ctx, new ExperimentResponse { Experiment = MlflowMapping.ToMessage(experiment) });
    }

    public async Task GetByName(HttpContext ctx)
    {
        var req = await ApiJson.ReadRequestAsync<GetExperimentByNameRequest>(ctx);
        var name = req.ExperimentName is { Length: > 0 } n ? n : throw ApiException.MissingParameter("experiment_name");
        var experiment = store.FindExperimentByName(name)
            ?? throw ApiException.NotFound($"Could not find experiment with name '{name}'.");
        await ApiJson.WriteAsync(ctx, new ExperimentResponse { Experiment = MlflowMapping.ToMessage(experiment) });
    }

    public async Task Search(HttpContext ctx)
    {
        var req = await ApiJson.ReadRequestAsync<SearchExperimentsRequest>(ctx);
        var max = MlflowLimits.SearchResults(req.MaxResults);
        var view = MlflowMapping.ParseViewType(req.ViewType, "view_type");
        var filter = ExperimentFilter.Parse(req.Filter);
        var order = ExperimentFilter.ParseOrderBy(req.OrderBy ?? []);
        var offset = PageToken.Decode(req.PageToken);
        var matching = order(store.ListExperiments(view).Where(filter)).ToList();
        var page = matching.Skip((int)Math.Min(offset, int.MaxValue)).Take(max).Select(MlflowMapping.ToMessage).ToList();
        var next = offset + max < matching.Count ? PageToken.Encode(offset + max) : null;
        await ApiJson.WriteAsync(ctx, new SearchExperimentsResponse { Experiments = page, NextPageToken = next });
    }

    public async Task Update(HttpContext ctx)
    {
        var req = await ApiJson.ReadBodyAsync<UpdateExperimentRequest>(ctx);
        var id = RequireId(req.ExperimentId);
        if (req.NewName is not null) store.RenameExperiment(id, RequireName(req.NewName, "new_name"));
        else store.GetExperiment(id);
        await ApiJson.WriteAsync(ctx, EmptyResponse.Instance);
    }

    public async Task Delete(HttpContext ctx)
    {
        var req = await ApiJson.ReadBodyAsync<ExperimentIdRequest>(ctx);
        store.DeleteExperiment(RequireId(req.ExperimentId));
        await ApiJson.WriteAsync(ctx, EmptyResponse.Instance);
    }

    public async Task Restore(HttpContext ctx)
    {
        var req = await ApiJson.ReadBodyAsync<ExperimentIdRequest>(ctx);
        store.RestoreExperiment(RequireId(req.ExperimentId));
        await ApiJson.WriteAsync(ctx, EmptyResponse.Instance);
    }

    public async Task SetTag(HttpContext ctx)
    {
        var req = await ApiJson.ReadBodyAsync<SetExperimentTagRequest>(ctx);
        var key = MlflowLimits.Key(req.Key, "key", "Tag");
        store.SetExperimentTag(RequireId(req.ExperimentId), key, MlflowLimits.TagValue(req.Value, "value", key));
        await ApiJson.WriteAsync(ctx, EmptyResponse.Instance);
    }

    private static string RequireId(string? id) => id is { Length: > 0 } ? id : throw ApiException.MissingParameter("experiment_id");

    private static string RequireName(string? name, string field)
    {
        if (string.IsNullOrWhiteSpace(name)) throw ApiException.MissingParameter(field);
        if (name.Length > MlflowLimits.MaxExperimentNameLength)
            throw ApiException.InvalidParameter(
                $"Experiment name had length {name.Length}, which exceeded length limit of {MlflowLimits.MaxExperimentNameLength}.");
        return MlflowLimits.Name(name, field, "experiment name")!;
    }

    private static Dictionary<string, string>? ExperimentTags(List<KeyValueMessage>? tags)
    {
        if (tags is null) return null;
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i < tags.Count; i++)
        {
            var (k, v) = MlflowLimits.Tag(tags[i], $"tags[{i}]");
            result[k] = v;
        }
        return result;
    }
}
