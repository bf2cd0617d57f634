namespace MLTrack.Core.Tests.Search;

/// <summary>A database with one store's real runs schema, filled row by row and searched with that store's filter SQL.</summary>
public interface IRunFilterTestDatabase<TRun> : IDisposable
{
    TRun AddRun(string runId, string? name, string status, long startTime, long? endTime = null, int? exitCode = null, int experimentId = 1);
    void AddParam(TRun run, string key, string value);
    void AddTag(TRun run, string key, string value);
    void AddMetric(TRun run, string key, double last);
    /// <summary>Run ids matching the filter, sorted by the order terms then by insertion order.</summary>
    IReadOnlyList<string> Search(string? filter, params string[] orderBy);
    long Count(string table);
}
