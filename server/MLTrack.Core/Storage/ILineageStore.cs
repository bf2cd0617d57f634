using MLTrack.Core.Lineage;

namespace MLTrack.Core.Storage;

/// <summary>Lineage: the files each run read and wrote, with their content hashes.</summary>
public interface ILineageStore
{
    /// <summary>Records files a run read or wrote; the same (direction, path) again replaces the earlier record.</summary>
    void RecordRunFiles(string runId, IReadOnlyList<RunFile> files);
    IReadOnlyList<RunFile> ListRunFiles(string runId);
    /// <summary>Active runs that read or wrote a file with this content hash, with the matching record.</summary>
    IReadOnlyList<(string RunId, RunFile File)> FindRunsByFile(string sha256);
}
