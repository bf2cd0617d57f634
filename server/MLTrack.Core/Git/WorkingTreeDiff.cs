using System.Text;
using LibGit2Sharp;

namespace MLTrack.Core.Git;

/// <summary>
/// Builds a unified patch of every uncommitted change (staged, unstaged and untracked-but-not-ignored files)
/// relative to HEAD, or to the empty tree when HEAD is unborn. Applying it with <c>git apply</c> on a
/// checkout of HEAD reproduces the working tree, except for the files listed in the leading
/// <c>#</c> comment lines (binary, not UTF-8, larger than <see cref="MaxFileBytes"/>, submodules),
/// which <c>git apply</c> ignores.
/// </summary>
internal static class WorkingTreeDiff
{
    public const long MaxFileBytes = 1024 * 1024;

    /// <summary>Prefix of the comment lines naming files left out of the patch.</summary>
    public const string SkippedPrefix = "# MLTrack: not included";

    private const DiffTargets WorkingTreeAndIndex = DiffTargets.Index | DiffTargets.WorkingDirectory;

    // git's own binary heuristic looks for a NUL byte in the first 8000 bytes.
    private const int BinarySniffBytes = 8000;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <returns>The patch, or null when nothing differs from HEAD (or the repository has no working tree).</returns>
    public static string? Build(Repository repo)
    {
        string? workdir = repo.Info.WorkingDirectory;
        if (repo.Info.IsBare || workdir is null)
            return null;

        Tree? head = repo.Head.Tip?.Tree; // null = unborn HEAD: libgit2 diffs against the empty tree
        var options = new CompareOptions { Similarity = SimilarityOptions.None };

        // First pass without content, so huge untracked files (data sets, checkpoints) are never read.
        var included = new List<string>();
        var skipped = new List<(string Path, string Reason)>();
        using (var changes = repo.Diff.Compare<TreeChanges>(head, WorkingTreeAndIndex, null, null, options))
        {
            if (changes.Count == 0)
                return null;
            foreach (var change in changes)
            {
                string? reason = SkipReason(head, workdir, change);
                if (reason is null)
                    included.Add(change.Path);
                else
                    skipped.Add((change.Path, reason));
            }
        }

        var body = new StringBuilder();
        if (included.Count > 0) // an empty path list would mean "all paths"
        {
            var explicitPaths = new ExplicitPathsOptions { ShouldFailOnUnmatchedPath = false };
            using var patch = repo.Diff.Compare<Patch>(head, WorkingTreeAndIndex, included, explicitPaths, options);
            foreach (var entry in patch)
            {
                if (entry.IsBinaryComparison) // e.g. marked binary / -diff in .gitattributes
                    skipped.Add((entry.Path, "binary"));
                else
                    body.Append(entry.Patch);
            }
        }

        var result = new StringBuilder();
        foreach (var (path, reason) in skipped.OrderBy(s => s.Path, StringComparer.Ordinal))
            result.Append(SkippedPrefix).Append(" (").Append(reason).Append("): ").Append(Printable(path)).Append('\n');
        result.Append(body);
        return result.Length == 0 ? null : result.ToString();
    }

    private static string? SkipReason(Tree? head, string workdir, TreeEntryChanges change)
    {
        if (change.Mode == Mode.GitLink || change.OldMode == Mode.GitLink)
            return "submodule";

        // Old side: the blob in HEAD.
        if (change.OldExists && head?[change.OldPath]?.Target is Blob blob && change.OldMode != Mode.SymbolicLink)
        {
            if (blob.Size > MaxFileBytes)
                return "larger than 1 MiB";
            using var stream = blob.GetContentStream();
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            string? contentReason = ContentReason(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
            if (contentReason is not null)
                return contentReason;
        }

        // New side: the file in the working directory (the diff target includes it).
        if (change.Exists)
        {
            var file = new FileInfo(Path.Combine(workdir, change.Path));
            if (file.Exists && file.LinkTarget is null) // a symlink's patch content is its target path
            {
                if (file.Length > MaxFileBytes)
                    return "larger than 1 MiB";
                string? contentReason = ContentReason(File.ReadAllBytes(file.FullName));
                if (contentReason is not null)
                    return contentReason;
            }
        }
        return null;
    }

    private static string? ContentReason(ReadOnlySpan<byte> content)
    {
        if (content[..Math.Min(content.Length, BinarySniffBytes)].Contains((byte)0))
            return "binary";
        // The patch is carried as a .NET string: bytes that are not UTF-8 would be replaced and the patch
        // would no longer apply, so such files are left out rather than stored corrupted.
        try
        {
            StrictUtf8.GetCharCount(content);
            return null;
        }
        catch (DecoderFallbackException)
        {
            return "not UTF-8 text";
        }
    }

    private static string Printable(string path)
    {
        var sb = new StringBuilder(path.Length);
        foreach (char c in path)
        {
            if (char.IsControl(c))
                sb.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
            else
                sb.Append(c);
        }
        return sb.ToString();
    }
}
