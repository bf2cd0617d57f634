namespace MLTrack.Core.Storage;

/// <summary>
/// What a load balancer's health check needs from the store: can it be reached, and is its schema the one this
/// build reads (a replica older than the database's migrations must leave the pool).
/// </summary>
public sealed record StoreHealth(bool Reachable, int SchemaVersion, int SupportedVersion, string? Problem = null)
{
    public bool Healthy => Reachable && SchemaVersion == SupportedVersion;

    public static StoreHealth Unreachable(int supported, string problem) => new(false, 0, supported, problem);

    /// <summary>Healthy, or why not, in one line.</summary>
    public string Describe() => !Reachable ? Problem ?? "unreachable"
        : SchemaVersion != SupportedVersion ? $"schema version {SchemaVersion}, this build expects {SupportedVersion}"
        : $"ok (schema version {SchemaVersion})";
}
