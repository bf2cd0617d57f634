namespace MLTrack.Server.Rpc.Dto;

/// <summary>Params of <c>experiments/list</c>.</summary>
/// <param name="View">"active" (default), "deleted" or "all".</param>
public sealed record ExperimentsListParams(string? View = null);

/// <summary>One experiment with its number of active runs.</summary>
/// <param name="ExperimentId">Store id (a decimal string, MLflow style).</param>
/// <param name="Name">Unique name.</param>
/// <param name="LifecycleStage">"active" or "deleted".</param>
/// <param name="CreationTime">Milliseconds since the Unix epoch.</param>
/// <param name="LastUpdateTime">Milliseconds since the Unix epoch.</param>
/// <param name="RunCount">Active runs in the experiment.</param>
/// <param name="Tags">Experiment tags.</param>
public sealed record ExperimentInfo(
    string ExperimentId,
    string Name,
    string LifecycleStage,
    long CreationTime,
    long LastUpdateTime,
    int RunCount,
    IReadOnlyDictionary<string, string> Tags);
