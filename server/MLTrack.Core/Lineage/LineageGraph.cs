namespace MLTrack.Core.Lineage;

/// <summary>
/// Runs and the files between them. File nodes are keyed by content hash ("file:&lt;sha256&gt;"), run nodes by
/// "run:&lt;id&gt;". Edges: file → run (read), run → file (wrote), parent run → child run (nested).
/// </summary>
public sealed record LineageGraph(IReadOnlyList<LineageNode> Nodes, IReadOnlyList<LineageEdge> Edges);

public sealed record LineageNode(string Id, LineageNodeKind Kind, string Label, string? RunId, string? Status, string? Sha256, int Depth);

public sealed record LineageEdge(string From, string To, LineageEdgeKind Kind, string? Label);

public enum LineageNodeKind { Run, File }

public enum LineageEdgeKind { Reads, Writes, Parent }

public enum LineageDirection { Up, Down, Both }
