namespace MLTrack.Server.Rpc.Dto;

/// <summary>Params of <c>artifacts/read</c>.</summary>
/// <param name="RunId">Run id or a unique prefix of 6+ characters.</param>
/// <param name="Path">Artifact path relative to the run, e.g. <c>logs/output.log</c>.</param>
/// <param name="Offset">First byte to return (default 0); with Size, lets a log view page through a large file.</param>
/// <param name="MaxBytes">At most this many bytes (default 1 MiB, at most 8 MiB).</param>
public sealed record ArtifactReadParams(string RunId, string Path, long? Offset = null, int? MaxBytes = null);

/// <summary>Result of <c>artifacts/read</c>. Encoding is <c>utf8</c> when the bytes are valid UTF-8 text, else <c>base64</c>.</summary>
public sealed record ArtifactContent(string Path, long Size, long Offset, string Data, string Encoding, bool Truncated);

/// <summary>Params of <c>runs/codeDiff</c>: two runs (ids or prefixes) and a size cap for each text (default 1,000,000 characters).</summary>
public sealed record CodeDiffParams(string RunA, string RunB, int? MaxChars = null);

/// <summary>
/// Result of <c>runs/codeDiff</c>: the unified diff from run A's commit to run B's (null with <c>Reason</c> when it cannot be
/// computed: no git data, or the commits are not in the repository), and each run's uncommitted changes (its code.diff artifact).
/// </summary>
public sealed record CodeDiffResult(string? CommitA, string? CommitB, string? Diff, string? UncommittedA, string? UncommittedB, bool Truncated, string? Reason);
