namespace MLTrack.Server.Rpc.Dto;

/// <summary>Params of <c>initialize</c>: which store to open.</summary>
/// <param name="WorkspaceFolder">The editor's first workspace folder; its store is <c>&lt;folder&gt;/.mltrack/mltrack.db</c>. Null: the user-level store <c>~/.mltrack/mltrack.db</c>.</param>
/// <param name="StorePath">An explicit store file (the <c>mltrack.storePath</c> setting); wins over the folder.</param>
/// <param name="ClientName">The client's name for the log (e.g. "vscode").</param>
/// <param name="ClientVersion">The client's version for the log.</param>
/// <param name="StartTrackingServer">Start the in-process HTTP tracking server so launched runs log to it (default true).</param>
public sealed record InitializeParams(
    string? WorkspaceFolder = null,
    string? StorePath = null,
    string? ClientName = null,
    string? ClientVersion = null,
    bool StartTrackingServer = true);

/// <summary>Result of <c>initialize</c>.</summary>
/// <param name="ServerVersion">The backend's version (assembly informational version).</param>
/// <param name="ProtocolVersion">Bumped on incompatible changes to this protocol.</param>
/// <param name="StorePath">Absolute path of the opened store file (created when missing).</param>
/// <param name="WorkspaceFolder">The workspace folder, or null for the user-level store.</param>
/// <param name="SchemaVersion">The store's schema version.</param>
/// <param name="TrackingUri">URL of the in-process HTTP tracking server; null when it is off or still starting (it starts in the background; launches wait for it).</param>
/// <param name="Capabilities">What this backend can do.</param>
public sealed record InitializeResult(
    string ServerVersion,
    int ProtocolVersion,
    string StorePath,
    string? WorkspaceFolder,
    int SchemaVersion,
    string? TrackingUri,
    ServerCapabilities Capabilities);

/// <summary>Feature flags the client uses to show or hide UI.</summary>
/// <param name="TextSearch">search/query is backed by a full-text index.</param>
/// <param name="Launch">runs/launch and runs/stop are available.</param>
/// <param name="TrackingServer">An HTTP tracking server is started in this process, and launched runs log to it.</param>
/// <param name="Lineage">lineage/graph is available.</param>
/// <param name="MetricBuckets">metrics/history can return bucketed views.</param>
/// <param name="Notifications">Names of the notifications this backend sends.</param>
public sealed record ServerCapabilities(
    bool TextSearch,
    bool Launch,
    bool TrackingServer,
    bool Lineage,
    bool MetricBuckets,
    IReadOnlyList<string> Notifications);
