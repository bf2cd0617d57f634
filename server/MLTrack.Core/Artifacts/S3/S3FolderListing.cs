namespace MLTrack.Core.Artifacts.S3;

/// <summary>One level of a '/'-delimited listing: the objects directly in the folder and the names of its sub-folders.</summary>
public sealed record S3FolderListing(IReadOnlyList<S3ListedObject> Files, IReadOnlyList<string> Folders);
