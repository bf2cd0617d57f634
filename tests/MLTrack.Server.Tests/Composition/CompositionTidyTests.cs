using System.Text.RegularExpressions;
using MLTrack.Server.Tests.Deploy;

namespace MLTrack.Server.Tests.Composition;

/// <summary>
/// Rules about the product's sources, checked by reading them (as rust-analyzer's tidy tests do): stores are opened
/// by the factory only, services are built by the composition root, and no folder is derived from a store's location.
/// </summary>
public sealed partial class CompositionTidyTests
{
    private static readonly string ServerFolder = Path.Combine(DeployModelFixture.RepoRoot, "server");

    /// <summary>Every C# source under server/ (build output excluded), as (path relative to server/, text).</summary>
    private static IEnumerable<(string Path, string Text)> Sources() =>
        Directory.EnumerateFiles(ServerFolder, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Split(Path.DirectorySeparatorChar).Any(part => part is "obj" or "bin"))
            .Select(f => (Path.GetRelativePath(ServerFolder, f).Replace('\\', '/'), File.ReadAllText(f)));

    private static List<string> Offenders(Regex pattern, params string[] allowed) =>
        [.. Sources().Where(s => !allowed.Contains(s.Path)).SelectMany(s => pattern.Matches(s.Text).Select(m => $"{s.Path}: {m.Value}"))];

    [Fact]
    public void The_sources_are_found()
    {
        Assert.Contains(Sources(), s => s.Path == "MLTrack.Core/Storage/StoreFactory.cs");
        Assert.True(Sources().Count() > 100);
    }

    [Fact]
    public void Only_the_store_factory_opens_a_store_implementation()
    {
        var offenders = Offenders(OpensStore(),
            "MLTrack.Core/Storage/StoreFactory.cs",
            "MLTrack.Core/Storage/Sqlite/SqliteTrackingStore.cs", // its own Open builds the instance
            "MLTrack.Core/Storage/Postgres/PostgresTrackingStore.cs");
        Assert.True(offenders.Count == 0, "Open stores through StoreFactory (or MltrackRoot in the server):\n" + string.Join('\n', offenders));
    }

    [Fact]
    public void No_static_registry_hands_out_services_per_store()
    {
        var offenders = Offenders(StaticRegistry());
        Assert.True(offenders.Count == 0, "Build services in MltrackRoot and pass them where needed:\n" + string.Join('\n', offenders));
    }

    [Fact]
    public void No_folder_is_derived_from_a_store_location()
    {
        var offenders = Offenders(FolderFromLocation());
        Assert.True(offenders.Count == 0, "Folders are settings (MltrackLayout), not the store's location:\n" + string.Join('\n', offenders));
    }

    [Fact]
    public void The_rules_catch_what_they_forbid()
    {
        Assert.Matches(OpensStore(), "using var store = SqliteTrackingStore.Open(path);");
        Assert.Matches(OpensStore(), "var s = new SqliteTrackingStore(db, root);");
        Assert.Matches(OpensStore(), "PostgresTrackingStore.Open(uri, root)");
        Assert.Matches(StaticRegistry(), "DeploymentService.For(store)");
        Assert.Matches(StaticRegistry(), "static readonly ConditionalWeakTable<ITrackingStore, X> s_byStore = new();");
        Assert.Matches(FolderFromLocation(), "Path.GetDirectoryName(Path.GetFullPath(store.Location))!");
        Assert.Matches(FolderFromLocation(), "var dir = Path.GetDirectoryName(store.Location)!;");
        Assert.DoesNotMatch(FolderFromLocation(), "SameStore(running.Store, store.Location)");
    }

    [GeneratedRegex(@"\b(SqliteTrackingStore|PostgresTrackingStore)\.Open\(|\bnew (SqliteTrackingStore|PostgresTrackingStore)\(")]
    private static partial Regex OpensStore();

    [GeneratedRegex(@"\bDeploymentService\.For\(|\bConditionalWeakTable<")]
    private static partial Regex StaticRegistry();

    [GeneratedRegex(@"Path\.(GetDirectoryName|GetFullPath|Combine)\([^;]*\.Location\b")]
    private static partial Regex FolderFromLocation();
}
