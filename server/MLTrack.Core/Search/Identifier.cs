namespace MLTrack.Core.Search;

/// <summary>A parsed left-hand side: entity, key (canonical name for attributes) and the offset where it starts.</summary>
internal readonly record struct Identifier(EntityKind Entity, string Key, int Position)
{
    /// <summary>How messages name it, e.g. <c>metrics.acc</c>.</summary>
    public string Display => Entity switch
    {
        EntityKind.Metric => "metrics." + Key,
        EntityKind.Param => "params." + Key,
        EntityKind.Tag => "tags." + Key,
        _ => "attributes." + Key,
    };
}
