namespace MLTrack.Bench;

/// <summary>Where the benchmarks keep their scratch stores and write their results.</summary>
public sealed record BenchContext(string RepoRoot, string ScratchDir)
{
    public static BenchContext Create()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "MLTrack.Ide.sln"))) dir = dir.Parent;
        var root = dir?.FullName ?? Environment.CurrentDirectory;
        var scratch = Path.Combine(Path.GetTempPath(), "mltrack-bench");
        Directory.CreateDirectory(scratch);
        return new BenchContext(root, scratch);
    }
}
