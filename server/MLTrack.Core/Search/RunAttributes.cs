namespace MLTrack.Core.Search;

/// <summary>The run attributes MLflow's search syntax names, mapped to <c>runs</c> columns. Names match case-insensitively.</summary>
internal static class RunAttributes
{
    private static readonly RunAttribute[] All =
    [
        new("status", "status", IsNumeric: false),
        new("run_name", "name", IsNumeric: false),
        new("run_id", "run_id", IsNumeric: false),
        new("user_id", "user_id", IsNumeric: false),
        new("experiment_id", "experiment_id", IsNumeric: false, CompareAsText: true),
        new("artifact_uri", "artifact_uri", IsNumeric: false),
        new("source_file", "source_file", IsNumeric: false),
        new("command", "command", IsNumeric: false),
        new("git_commit", "git_commit", IsNumeric: false),
        new("git_branch", "git_branch", IsNumeric: false),
        new("host", "host", IsNumeric: false),
        new("parent_run_id", "parent_run_id", IsNumeric: false),
        new("lifecycle_stage", "lifecycle_stage", IsNumeric: false),
        new("start_time", "start_time", IsNumeric: true),
        new("end_time", "end_time", IsNumeric: true),
        new("exit_code", "exit_code", IsNumeric: true),
    ];

    private static readonly Dictionary<string, RunAttribute> ByName = BuildLookup();

    /// <summary>The canonical names, for error messages.</summary>
    public static string KnownNames { get; } = string.Join(", ", All.Select(a => a.Name));

    public static bool TryGet(string name, out RunAttribute attribute) => ByName.TryGetValue(name, out attribute!);

    public static RunAttribute Get(string name) =>
        TryGet(name, out var attribute)
            ? attribute
            : throw new ArgumentException($"Unknown run attribute '{name}'.", nameof(name));

    private static Dictionary<string, RunAttribute> BuildLookup()
    {
        var lookup = All.ToDictionary(a => a.Name, StringComparer.OrdinalIgnoreCase);
        // MLflow's alias for the creation time.
        lookup["created"] = lookup["start_time"];
        return lookup;
    }
}
