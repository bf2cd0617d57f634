using MLTrack.Core.Lineage;

namespace MLTrack.Core.Storage;

/// <summary>How stores write a lineage file's direction in their <c>run_files</c> tables.</summary>
internal static class FileDirectionNames
{
    public static string DirectionName(FileDirection d) => d == FileDirection.Input ? "input" : "output";
    public static FileDirection ParseDirection(string s) => s == "input" ? FileDirection.Input : FileDirection.Output;
}
