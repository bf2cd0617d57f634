namespace MLTrack.Core.Storage;

/// <summary>Why a store operation was refused. Codes follow MLflow's error codes so the REST layer can pass them on.</summary>
public class StoreException(StoreErrorCode code, string message, Exception? inner = null) : Exception(message, inner)
{
    public StoreErrorCode Code { get; } = code;
}

public enum StoreErrorCode
{
    ResourceDoesNotExist,
    ResourceAlreadyExists,
    InvalidParameterValue,
    InvalidState,
    /// <summary>The store file cannot be opened or written (permissions, lock, not a database).</summary>
    StoreUnavailable,
}
