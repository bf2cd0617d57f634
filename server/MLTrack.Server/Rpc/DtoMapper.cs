using MLTrack.Core.Artifacts;
using MLTrack.Core.Lineage;
using MLTrack.Core.Metrics;
using MLTrack.Core.Runs;
using MLTrack.Core.Storage;
using MLTrack.Server.Rpc.Dto;

namespace MLTrack.Server.Rpc;

/// <summary>Domain records → wire records (the wire spells enums as documented in protocol.ts).</summary>
internal static class DtoMapper
{
    public static RunRow ToRow(Run r, string experimentName) => new(
        r.RunId, r.Name, r.ExperimentId, experimentName, r.Status.ToString(), r.StartTime, r.EndTime, r.DurationMs, r.User,
        r.SourceFile, r.LifecycleStage, r.Metrics.ToDictionary(m => m.Key, m => m.Latest), r.Params);

    public static RunDetail ToDetail(Run r, string experimentName, IReadOnlyList<ArtifactInfo> artifacts, IReadOnlyList<RunFile> files, bool launchedHere) => new(
        r.RunId, r.Name, r.ExperimentId, experimentName, r.Status.ToString(), r.StartTime, r.EndTime, r.DurationMs, r.User,
        r.Command, r.Cwd, r.SourceFile, r.ExitCode, r.Host, new GitDto(r.Git.Commit, r.Git.Branch, r.Git.Remote, r.Git.Dirty),
        r.ParentRunId, r.LifecycleStage, r.ArtifactUri, r.Params, r.Tags, r.Metrics.Select(ToDto).ToList(),
        artifacts.Select(a => new ArtifactDto(a.Path, a.Size, a.Sha256)).ToList(),
        files.Select(f => new RunFileDto(f.Direction == FileDirection.Input ? "input" : "output", f.Path, f.Size, f.Sha256)).ToList(),
        launchedHere);

    public static MetricSummaryDto ToDto(MetricSummary m) =>
        new(m.Key, m.Latest, m.LatestStep, m.LatestTimestamp, m.Min, m.Max, m.Count, MetricDirection.LowerIsBetter(m.Key));

    public static ExperimentInfo ToDto(Experiment e, int runCount) =>
        new(e.ExperimentId, e.Name, e.LifecycleStage, e.CreationTime, e.LastUpdateTime, runCount, e.Tags);

    public static LineageGraphDto ToDto(LineageGraph g, string root) => new(
        root,
        g.Nodes.Select(n => new LineageNodeDto(n.Id, n.Kind == LineageNodeKind.Run ? "run" : "file", n.Label, n.RunId, n.Status, n.Sha256, n.Depth)).ToList(),
        g.Edges.Select(e => new LineageEdgeDto(e.From, e.To, e.Kind switch
        {
            LineageEdgeKind.Reads => "reads",
            LineageEdgeKind.Writes => "writes",
            _ => "parent",
        }, e.Label)).ToList());

    public static ViewType ParseView(string? view) => view?.Trim().ToLowerInvariant() switch
    {
        null or "" or "active" or "active_only" => ViewType.ActiveOnly,
        "deleted" or "deleted_only" => ViewType.DeletedOnly,
        "all" => ViewType.All,
        _ => throw RpcException.InvalidParams($"Unknown view '{view}': expected active, deleted or all."),
    };

    /// <summary>Experiment id → name, for labelling rows (a few experiments; read per call so renames show at once).</summary>
    public static Dictionary<string, string> ExperimentNames(ITrackingStore store) =>
        store.ListExperiments(ViewType.All).ToDictionary(e => e.ExperimentId, e => e.Name);
}
