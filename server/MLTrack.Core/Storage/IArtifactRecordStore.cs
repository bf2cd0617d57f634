using MLTrack.Core.Artifacts;

namespace MLTrack.Core.Storage;

/// <summary>The records of a run's artifacts (path, size, hash); the bytes live in the artifact store.</summary>
public interface IArtifactRecordStore
{
    void RecordArtifact(string runId, ArtifactInfo artifact);
    IReadOnlyList<ArtifactInfo> ListArtifacts(string runId);
}
