namespace MLTrack.Server.Http.Dto;

/// <summary>A param, run tag or experiment tag: <c>{"key", "value"}</c>.</summary>
internal sealed class KeyValueMessage
{
    public string? Key { get; init; }
    public string? Value { get; init; }
}
