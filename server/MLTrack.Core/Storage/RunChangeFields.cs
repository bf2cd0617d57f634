namespace MLTrack.Core.Storage;

/// <summary>Which attributes of a run a <see cref="StoreChangeKind.RunUpdated"/> change touched.</summary>
[Flags]
public enum RunChangeFields
{
    None = 0,
    Status = 1,
    Name = 2,
    Tags = 4,
}
