namespace MLTrack.Server.Rpc.Dto;

/// <summary>Params of <c>lineage/graph</c>: give <see cref="RunId"/> or <see cref="FilePath"/>.</summary>
/// <param name="RunId">Start from this run (id or unique prefix).</param>
/// <param name="FilePath">Start from this file's content (sha256): every run downstream of it.</param>
/// <param name="Direction">"up", "down" or "both" (default; ignored for files, which go down).</param>
/// <param name="Depth">Hops to follow (default 10).</param>
public sealed record LineageParams(string? RunId = null, string? FilePath = null, string? Direction = null, int? Depth = null);

/// <summary>Runs and the files between them.</summary>
/// <param name="Root">Id of the node the walk started from.</param>
public sealed record LineageGraphDto(string Root, IReadOnlyList<LineageNodeDto> Nodes, IReadOnlyList<LineageEdgeDto> Edges);

/// <summary>A node: "run:&lt;id&gt;" or "file:&lt;sha256&gt;".</summary>
/// <param name="Kind">"run" or "file".</param>
/// <param name="Depth">Hops from the root.</param>
public sealed record LineageNodeDto(string Id, string Kind, string Label, string? RunId, string? Status, string? Sha256, int Depth);

/// <summary>An edge: file → run ("reads"), run → file ("writes"), parent → child run ("parent").</summary>
public sealed record LineageEdgeDto(string From, string To, string Kind, string? Label);
