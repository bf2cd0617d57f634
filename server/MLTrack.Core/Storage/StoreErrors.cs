namespace MLTrack.Core.Storage;

/// <summary>The refusals both stores raise, worded once so that SQLite and PostgreSQL say the same thing.</summary>
internal static class StoreErrors
{
    public static StoreException RunNotFound(string runId) =>
        new(StoreErrorCode.ResourceDoesNotExist, $"Run '{runId}' not found.");

    public static StoreException RunExists(string runId) =>
        new(StoreErrorCode.ResourceAlreadyExists, $"Run '{runId}' already exists.");

    public static StoreException ParentNotFound(string parentRunId) =>
        new(StoreErrorCode.ResourceDoesNotExist, $"Parent run '{parentRunId}' not found.");

    public static StoreException RunDeleted(string runId) =>
        new(StoreErrorCode.InvalidState, $"Run '{runId}' is deleted; restore it before changing it.");

    public static StoreException TagNotFound(string runId, string key) =>
        new(StoreErrorCode.ResourceDoesNotExist, $"No tag with name '{key}' in run '{runId}'.");

    public static StoreException ExperimentNotFound(string experimentId) =>
        new(StoreErrorCode.ResourceDoesNotExist, $"No experiment with id '{experimentId}'.");

    public static StoreException ExperimentExists(string name) =>
        new(StoreErrorCode.ResourceAlreadyExists, $"Experiment '{name}' already exists.");

    public static StoreException ExperimentDeleted(string? experimentId) =>
        new(StoreErrorCode.InvalidState, $"Experiment '{experimentId}' is deleted; restore it before adding runs.");

    /// <summary>MLflow's wording (mlflow/store/tracking/sqlalchemy_store.py), which clients may match on.</summary>
    public static StoreException ParamChanged(string runId, string key, string old, string attempted) => new(
        StoreErrorCode.InvalidParameterValue,
        $"Changing param values is not allowed. Param with key='{key}' was already logged with value='{old}' for run ID='{runId}'. Attempted logging new value '{attempted}'.");
}
