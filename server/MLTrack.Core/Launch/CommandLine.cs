using System.Text;

namespace MLTrack.Core.Launch;

/// <summary>Facts derived from a command's argv: its display string, its source file and a default run name.</summary>
internal static class CommandLine
{
    // Script files whose path identifies "the code" of a run (shown, hashed for lineage, named after).
    private static readonly string[] SourceExtensions =
        [".py", ".ipynb", ".sh", ".bash", ".r", ".rmd", ".jl", ".js", ".mjs", ".ts", ".rb", ".pl", ".lua", ".m", ".scala", ".ps1"];

    /// <summary>The argv as one POSIX-shell-quoted line, copy-pastable to rerun.</summary>
    public static string Format(IReadOnlyList<string> argv) => string.Join(' ', argv.Select(Quote));

    /// <summary>The first argument (program included) naming a script file, resolved against <paramref name="cwd"/>.</summary>
    public static string? FindSourceFile(IReadOnlyList<string> argv, string cwd)
    {
        foreach (var arg in argv)
        {
            if (arg.Length == 0 || arg.StartsWith('-') || arg.Contains('\n')) continue;
            var ext = Path.GetExtension(arg);
            if (SourceExtensions.Contains(ext, StringComparer.OrdinalIgnoreCase))
            {
                try
                {
                    return Path.GetFullPath(arg, cwd);
                }
                catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
                {
                    continue;
                }
            }
        }
        return null;
    }

    /// <summary>The source file's name without extension, else the program's file name.</summary>
    public static string DefaultRunName(IReadOnlyList<string> argv, string? sourceFile) =>
        sourceFile is not null ? Path.GetFileNameWithoutExtension(sourceFile) : Path.GetFileName(argv[0].TrimEnd('/', '\\')) is { Length: > 0 } n ? n : argv[0];

    private static string Quote(string arg)
    {
        if (arg.Length > 0 && arg.All(c => char.IsAsciiLetterOrDigit(c) || "-_./=:,+@%".Contains(c))) return arg;
        var sb = new StringBuilder("'");
        foreach (var c in arg)
        {
            if (c == '\'') sb.Append("'\\''");
            else sb.Append(c);
        }
        return sb.Append('\'').ToString();
    }
}
