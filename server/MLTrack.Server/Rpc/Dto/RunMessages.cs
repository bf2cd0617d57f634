namespace MLTrack.Server.Rpc.Dto;

/// <summary>Params naming one run: a full id or a unique prefix of at least 6 characters.</summary>
public sealed record RunIdParams(string RunId);

/// <summary>Params of <c>runs/list</c>.</summary>
/// <param name="Filter">MLflow search filter, e.g. <c>metrics.acc &gt; 0.9 and params.lr = '0.01'</c>. A syntax error is JSON-RPC error <see cref="RpcErrorCodes.InvalidFilter"/> with data <c>{position}</c>.</param>
/// <param name="OrderBy">Sort terms such as <c>metrics.acc DESC</c>; ties and the default: newest first.</param>
/// <param name="ExperimentIds">Experiments to search; null or empty: all.</param>
/// <param name="MaxResults">Page size, 1..50,000 (default 100).</param>
/// <param name="PageToken">The <c>nextPageToken</c> of the previous page.</param>
/// <param name="View">"active" (default), "deleted" or "all".</param>
public sealed record RunsListParams(
    string? Filter = null,
    IReadOnlyList<string>? OrderBy = null,
    IReadOnlyList<string>? ExperimentIds = null,
    int? MaxResults = null,
    string? PageToken = null,
    string? View = null);

/// <summary>One page of runs.</summary>
/// <param name="Runs">Compact rows, in the requested order.</param>
/// <param name="NextPageToken">Token for the next page; null on the last page.</param>
public sealed record RunsListResult(IReadOnlyList<RunRow> Runs, string? NextPageToken);

/// <summary>A compact run row for trees and tables.</summary>
/// <param name="RunId">32 hex characters.</param>
/// <param name="Name">Run name (may be null).</param>
/// <param name="ExperimentId">Experiment id.</param>
/// <param name="ExperimentName">Experiment name.</param>
/// <param name="Status">RUNNING, SCHEDULED, FINISHED, FAILED, KILLED or CRASHED.</param>
/// <param name="StartTime">Milliseconds since the Unix epoch.</param>
/// <param name="EndTime">Milliseconds since the Unix epoch; null while running.</param>
/// <param name="DurationMs">End minus start; null while running.</param>
/// <param name="User">Who ran it.</param>
/// <param name="SourceFile">The script, when known.</param>
/// <param name="LifecycleStage">"active" or "deleted".</param>
/// <param name="Metrics">Latest value of each metric (non-finite values as the strings "NaN", "Infinity", "-Infinity").</param>
/// <param name="Params">All params.</param>
public sealed record RunRow(
    string RunId,
    string? Name,
    string ExperimentId,
    string ExperimentName,
    string Status,
    long StartTime,
    long? EndTime,
    long? DurationMs,
    string? User,
    string? SourceFile,
    string LifecycleStage,
    IReadOnlyDictionary<string, double> Metrics,
    IReadOnlyDictionary<string, string> Params);

/// <summary>Everything about one run: attributes, params, tags, metric digests, artifacts and files read/written.</summary>
/// <param name="LaunchedHere">True when this backend launched the run and can stop it.</param>
public sealed record RunDetail(
    string RunId,
    string? Name,
    string ExperimentId,
    string ExperimentName,
    string Status,
    long StartTime,
    long? EndTime,
    long? DurationMs,
    string? User,
    string? Command,
    string? Cwd,
    string? SourceFile,
    int? ExitCode,
    string? Host,
    GitDto Git,
    string? ParentRunId,
    string LifecycleStage,
    string ArtifactUri,
    IReadOnlyDictionary<string, string> Params,
    IReadOnlyDictionary<string, string> Tags,
    IReadOnlyList<MetricSummaryDto> Metrics,
    IReadOnlyList<ArtifactDto> Artifacts,
    IReadOnlyList<RunFileDto> Files,
    bool LaunchedHere);

/// <summary>Where the run's code came from; all null outside a git repository.</summary>
public sealed record GitDto(string? Commit, string? Branch, string? Remote, bool? Dirty);

/// <summary>A file stored with a run (path relative to the run's artifact root).</summary>
public sealed record ArtifactDto(string Path, long Size, string Sha256);

/// <summary>A file a run read ("input") or wrote ("output").</summary>
public sealed record RunFileDto(string Direction, string Path, long Size, string Sha256);

/// <summary>Params of <c>runs/launch</c>: run <c>interpreter file args...</c> (or <see cref="Command"/>) as a tracked run.</summary>
/// <param name="File">The script to run (absolute, or relative to <see cref="Cwd"/>).</param>
/// <param name="Args">Arguments after the script.</param>
/// <param name="Interpreter">Program that runs the script (default "python3").</param>
/// <param name="Cwd">Working directory (default: the workspace folder, else the script's folder).</param>
/// <param name="Experiment">Experiment name, created when missing (default "Default").</param>
/// <param name="Name">Run name (default: the script's name).</param>
/// <param name="Params">Params recorded before the process starts.</param>
/// <param name="Env">Extra environment variables for the process.</param>
/// <param name="Command">The whole command line instead of interpreter + file + args (non-Python programs).</param>
public sealed record LaunchParams(
    string? File = null,
    IReadOnlyList<string>? Args = null,
    string? Interpreter = null,
    string? Cwd = null,
    string? Experiment = null,
    string? Name = null,
    IReadOnlyDictionary<string, string>? Params = null,
    IReadOnlyDictionary<string, string>? Env = null,
    IReadOnlyList<string>? Command = null);

/// <summary>Result of <c>runs/launch</c>: the run is recorded and its process is starting.</summary>
public sealed record LaunchResultDto(string RunId, string ExperimentId);

/// <summary>Result of <c>runs/stop</c>.</summary>
/// <param name="Stopped">True when this call stopped a run this backend was running; false when it had already ended (stopping twice is harmless).</param>
/// <param name="Status">The run's status after the call.</param>
public sealed record StopResult(bool Stopped, string Status);

/// <summary>Params of <c>runs/setTag</c>.</summary>
public sealed record SetTagParams(string RunId, string Key, string Value);

/// <summary>Params of <c>runs/deleteTag</c>.</summary>
public sealed record DeleteTagParams(string RunId, string Key);
