namespace MLTrack.Core.Runs;

public sealed record Experiment(
    string ExperimentId,
    string Name,
    string? ArtifactLocation,
    string LifecycleStage,
    long CreationTime,
    long LastUpdateTime,
    IReadOnlyDictionary<string, string> Tags)
{
    public const string DefaultName = "Default";
    public const string DefaultId = "0";
    public bool IsDeleted => LifecycleStage == LifecycleStages.Deleted;
}
