namespace MLTrack.Core.Runs;

/// <summary>MLflow's soft-delete states for runs and experiments.</summary>
public static class LifecycleStages
{
    public const string Active = "active";
    public const string Deleted = "deleted";
}
