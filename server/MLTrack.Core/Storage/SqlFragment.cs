namespace MLTrack.Core.Storage;

/// <summary>A piece of SQL and the values of the parameters it names. User text only ever travels in <see cref="Parameters"/>.</summary>
public sealed record SqlFragment(string Sql, IReadOnlyList<KeyValuePair<string, object?>> Parameters)
{
    public static SqlFragment Empty { get; } = new(string.Empty, []);
}
