using MLTrack.Core.Runs;

namespace MLTrack.Core.Launch;

/// <summary>What to run and how to record it (the <c>mltrack run</c> command line and the editor's Track button both build one).</summary>
public sealed record LaunchRequest
{
    /// <summary>The program and its arguments, passed as they are (no shell), e.g. <c>["python3", "train.py", "--lr", "0.1"]</c>.</summary>
    public required IReadOnlyList<string> Command { get; init; }

    /// <summary>Experiment to record into, created when missing.</summary>
    public string ExperimentName { get; init; } = Experiment.DefaultName;

    /// <summary>Run name; default: the source file's name without extension, else the program's name.</summary>
    public string? RunName { get; init; }

    /// <summary>Params logged before the process starts.</summary>
    public IReadOnlyDictionary<string, string> Params { get; init; } = new Dictionary<string, string>();

    /// <summary>Working directory; default: the current directory.</summary>
    public string? Cwd { get; init; }

    /// <summary>Extra environment for the child; a null value removes the variable. MLTRACK_RUN_ID and MLTRACK_EXPERIMENT_ID always win.</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();

    /// <summary>A regex with named groups <c>key</c>, <c>value</c> (optional <c>step</c>) replacing the default metric rule (see <see cref="OutputMetricParser"/>).</summary>
    public string? MetricPattern { get; init; }

    /// <summary>Copy the child's stdout/stderr to ours as it arrives (the CLI); off for the editor, which uses <see cref="OnOutputLine"/>.</summary>
    public bool EchoOutput { get; init; }

    /// <summary>Called for every output line (run id, stream, line without newline; over-long lines cut to 64 Ki characters). Called from the output pumps: keep it quick.</summary>
    public Action<string, OutputStreamKind, string>? OnOutputLine { get; init; }

    /// <summary>Called with the run id once the run is recorded, before the process starts.</summary>
    public Action<string>? OnRunCreated { get; init; }

    /// <summary>Time between system-metric samples; zero or negative turns sampling off.</summary>
    public TimeSpan SystemMetricsInterval { get; init; } = SystemMetricsSampler.DefaultInterval;

    /// <summary>Parent run for nested runs (a sweep launching its trials).</summary>
    public string? ParentRunId { get; init; }

    /// <summary>How long a cancelled run's processes get between SIGTERM and SIGKILL (time to save a checkpoint).</summary>
    public TimeSpan KillGracePeriod { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Let the child read our stdin (an interactive CLI run). Off by default: in the editor our stdin is the RPC channel, so the child gets an empty stdin.</summary>
    public bool InheritStdin { get; init; }
}
