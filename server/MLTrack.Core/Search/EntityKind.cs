namespace MLTrack.Core.Search;

/// <summary>What a filter or sort identifier refers to: <c>metrics.</c>, <c>params.</c>, <c>tags.</c> or a run attribute.</summary>
public enum EntityKind
{
    Metric,
    Param,
    Tag,
    Attribute,
}
