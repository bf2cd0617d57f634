using MLTrack.Core.Runs;

namespace MLTrack.Core.Storage;

public sealed record RunPage(IReadOnlyList<Run> Runs, string? NextPageToken);
