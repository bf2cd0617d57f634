namespace MLTrack.Core.Storage;

/// <summary>
/// Why a store operation was refused. Codes follow MLflow's error codes so the REST layer can pass them on.
/// <see cref="Exception.Message"/> may name the store's file (for the CLI and the server's log);
/// <see cref="ClientMessage"/> never does, and is what servers send.
/// </summary>
public class StoreException(StoreErrorCode code, string message, Exception? inner = null, string? clientMessage = null) : Exception(message, inner)
{
    public StoreErrorCode Code { get; } = code;

    /// <summary>The message for clients of a server: the same reason without file paths.</summary>
    public string ClientMessage { get; } = clientMessage ?? message;
}

public enum StoreErrorCode
{
    ResourceDoesNotExist,
    ResourceAlreadyExists,
    InvalidParameterValue,
    InvalidState,
    /// <summary>The store file cannot be opened or written (permissions, lock, not a database).</summary>
    StoreUnavailable,
    /// <summary>The principal may see the resource but not do this to it (a viewer's write): MLflow's PERMISSION_DENIED, 403.</summary>
    PermissionDenied,
}
