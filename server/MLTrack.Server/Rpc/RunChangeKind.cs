namespace MLTrack.Server.Rpc;

/// <summary>What changed about a run, in increasing significance (a coalesced notification reports the most significant).</summary>
public enum RunChangeKind { Metrics, Tags, Status, Restored, Deleted, Created }

public static class RunChangeKinds
{
    public static string Wire(this RunChangeKind kind) => kind switch
    {
        RunChangeKind.Metrics => "metrics",
        RunChangeKind.Tags => "tags",
        RunChangeKind.Status => "status",
        RunChangeKind.Restored => "restored",
        RunChangeKind.Deleted => "deleted",
        _ => "created",
    };
}
