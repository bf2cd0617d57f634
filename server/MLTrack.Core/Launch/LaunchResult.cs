using MLTrack.Core.Runs;

namespace MLTrack.Core.Launch;

/// <summary>
/// How a launched run ended. ExitCode is the process's exit code (128 + signal when a signal ended it), 127/126 when
/// the command could not be started (not found / not runnable, as a shell reports), null when it was never attempted.
/// Error explains a run that did not get to run its command normally (start failure, launcher trouble).
/// </summary>
public sealed record LaunchResult(string RunId, RunStatus Status, int? ExitCode, TimeSpan Duration, string? Error);
