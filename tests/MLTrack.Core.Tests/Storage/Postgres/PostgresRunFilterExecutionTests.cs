using MLTrack.Core.Tests.Search;

namespace MLTrack.Core.Tests.Storage.Postgres;

/// <summary>
/// The shared filter execution cases on PostgreSQL, in a database whose default collation is locale-aware, plus what
/// only PostgreSQL needs showing: byte order whatever the collation, LIKE without an escape character, long values.
/// </summary>
public sealed class PostgresRunFilterExecutionTests() : RunFilterExecutionContract<string>(new PostgresSearchTestDatabase())
{
    [Fact]
    public void Text_sorts_bytewise_whatever_the_database_collation()
    {
        // ICU en-US alone would give nlp, vision, Vision.
        Assert.Equal(["c", "b", "a", "d"], Db.Search(null, "tags.team ASC"));
    }

    [Fact]
    public void Like_has_no_escape_character_as_in_sqlite()
    {
        var e = Db.AddRun("e", "e", "FINISHED", 5000);
        Db.AddParam(e, "path", "a_b");
        var f = Db.AddRun("f", "f", "FINISHED", 6000);
        Db.AddParam(f, "path", @"a\zb");

        Assert.Equal(["f"], Db.Search(@"params.path LIKE 'a\_%'"));
        Assert.Equal(["f"], Db.Search(@"params.path ILIKE 'A\_%'"));
    }

    [Fact]
    public void A_param_longer_than_an_index_entry_is_found_by_its_whole_value()
    {
        var prefix = new string('x', 3000);
        var e = Db.AddRun("e", "e", "FINISHED", 5000);
        Db.AddParam(e, "config", prefix + "-one" + new string('y', 3000));
        var f = Db.AddRun("f", "f", "FINISHED", 6000);
        Db.AddParam(f, "config", prefix + "-two" + new string('y', 3000));

        Assert.Equal(["f"], Db.Search($"params.config = '{prefix}-two{new string('y', 3000)}'"));
        Assert.Equal(["e"], Db.Search($"params.config != '{prefix}-two{new string('y', 3000)}'"));
    }
}
