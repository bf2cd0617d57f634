namespace MLTrack.Core.Lineage;

/// <summary>A file a run read (input) or wrote (output), identified by content so lineage follows data, not names.</summary>
public sealed record RunFile(FileDirection Direction, string Path, long Size, string Sha256);

public enum FileDirection { Input, Output }
