namespace MLTrack.Core.Search;

/// <summary>One sort term, e.g. <c>metrics.acc DESC</c>. For attributes, <see cref="Key"/> is the canonical attribute name.</summary>
public sealed record OrderTerm(EntityKind Entity, string Key, bool Descending);
