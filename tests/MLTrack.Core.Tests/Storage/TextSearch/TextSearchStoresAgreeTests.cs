using MLTrack.Core.Storage.Postgres;
using MLTrack.Core.Storage.Sqlite;
using MLTrack.Core.Tests.Storage.Postgres;

namespace MLTrack.Core.Tests.Storage.TextSearch;

/// <summary>SQLite's FTS5 and PostgreSQL's tsvector search give the same hits in the same order on the same corpus.</summary>
public sealed class TextSearchStoresAgreeTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mltrack-text-agree-").FullName;
    private readonly PostgresTestDatabase _db = new();

    public void Dispose()
    {
        _db.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public void The_same_corpus_gives_the_same_hits_in_the_same_order_on_both_stores()
    {
        using var sqlite = SqliteTrackingStore.Open(Path.Combine(_dir, "mltrack.db"));
        using var postgres = PostgresTrackingStore.Open(_db.Uri, _dir);
        var a = TextSearchCorpus.Fill(sqlite);
        var b = TextSearchCorpus.Fill(postgres);
        foreach (var query in TextSearchCorpus.Queries)
        {
            var expected = sqlite.SearchText(query, 20).Select(a.Describe).ToList();
            var actual = postgres.SearchText(query, 20).Select(b.Describe).ToList();
            Assert.True(expected.SequenceEqual(actual),
                $"'{query}':\n  SQLite:     {string.Join(" | ", expected)}\n  PostgreSQL: {string.Join(" | ", actual)}");
        }
    }
}
