namespace MLTrack.Core.Runs;

/// <summary>Lifecycle of a run. Names match MLflow's RunStatus, plus CRASHED for runs whose launcher died.</summary>
public enum RunStatus
{
    RUNNING,
    SCHEDULED,
    FINISHED,
    FAILED,
    KILLED,
    CRASHED,
}

public static class RunStatusExtensions
{
    public static bool IsTerminal(this RunStatus status) => status is not (RunStatus.RUNNING or RunStatus.SCHEDULED);

    public static RunStatus Parse(string text) =>
        Enum.TryParse<RunStatus>(text, ignoreCase: true, out var s) && Enum.IsDefined(s)
            ? s
            : throw new ArgumentException($"Unknown run status '{text}'. Expected one of: {string.Join(", ", Enum.GetNames<RunStatus>())}.");
}
