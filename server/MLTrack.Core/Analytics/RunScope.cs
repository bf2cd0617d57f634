namespace MLTrack.Core.Analytics;

/// <summary>Which active runs an aggregate counts: some experiments (empty: all) and one user (null: everyone).</summary>
public sealed record RunScope(IReadOnlyList<string>? ExperimentIds = null, string? User = null)
{
    public static RunScope All { get; } = new();
}
