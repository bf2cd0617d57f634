using MLTrack.Core.Storage;

namespace MLTrack.Core.Tests.Storage;

/// <summary>How a store's location is read: a path, MLflow's sqlite URIs, postgresql://, and clear refusals of the rest.</summary>
public sealed class StoreLocationTests
{
    private static readonly string Base = Path.Combine(Path.GetTempPath(), "mltrack-location-base");

    [Fact]
    public void A_relative_path_is_a_sqlite_file_under_the_base_folder()
    {
        var location = StoreLocation.Parse(Path.Combine("data", "runs.db"), Base);
        Assert.Equal(StoreKind.Sqlite, location.Kind);
        Assert.Equal(Path.Combine(Base, "data", "runs.db"), location.Target);
        Assert.Equal(Path.Combine(Base, "data"), location.SqliteFolder);
    }

    [Fact]
    public void An_absolute_path_is_taken_as_it_is()
    {
        var path = Path.Combine(Path.GetTempPath(), "elsewhere", "mltrack.db");
        Assert.Equal(path, StoreLocation.Parse(path, Base).Target);
    }

    [Fact]
    public void A_sqlite_uri_with_three_slashes_names_a_path_relative_to_the_base_folder()
    {
        var location = StoreLocation.Parse("sqlite:///mlruns.db", Base);
        Assert.Equal(StoreKind.Sqlite, location.Kind);
        Assert.Equal(Path.Combine(Base, "mlruns.db"), location.Target);
    }

    [Fact]
    public void A_sqlite_uri_with_four_slashes_names_an_absolute_path()
    {
        var location = StoreLocation.Parse("sqlite:////var/lib/mltrack/runs.db", Base);
        Assert.Equal(Path.GetFullPath("/var/lib/mltrack/runs.db"), location.Target);
    }

    [Fact]
    public void The_sqlite_scheme_is_case_insensitive_and_percent_escapes_are_decoded()
    {
        Assert.Equal(Path.Combine(Base, "my runs.db"), StoreLocation.Parse("SQLite:///my%20runs.db", Base).Target);
    }

    [Fact]
    public void A_sqlite_uri_with_a_host_part_is_refused_showing_both_path_forms()
    {
        var e = Assert.Throws<StoreException>(() => StoreLocation.Parse("sqlite://runs.db", Base));
        Assert.Equal(StoreErrorCode.InvalidParameterValue, e.Code);
        Assert.Contains("'runs.db'", e.Message);
        Assert.Contains("sqlite:///runs.db", e.Message);
        Assert.Contains("sqlite:////absolute/path.db", e.Message);
    }

    [Theory]
    [InlineData("sqlite://")]
    [InlineData("sqlite:///")]
    [InlineData("sqlite:///data/")]
    public void A_sqlite_uri_naming_no_file_is_refused(string uri)
    {
        var e = Assert.Throws<StoreException>(() => StoreLocation.Parse(uri, Base));
        Assert.Contains("names no file", e.Message);
    }

    [Fact]
    public void A_sqlite_uri_with_query_parameters_is_refused()
    {
        var e = Assert.Throws<StoreException>(() => StoreLocation.Parse("sqlite:///runs.db?mode=ro", Base));
        Assert.Contains("query parameters", e.Message);
    }

    [Fact]
    public void A_postgresql_uri_is_a_postgres_location_shown_without_its_password()
    {
        var location = StoreLocation.Parse("postgresql://alice:s3cret@db.example.com:6543/tracking", Base);
        Assert.Equal(StoreKind.Postgres, location.Kind);
        Assert.Equal("postgresql://alice:s3cret@db.example.com:6543/tracking", location.Target);
        Assert.Equal("postgresql://alice@db.example.com:6543/tracking", location.Display);
        Assert.Null(location.SqliteFolder);
    }

    [Fact]
    public void The_postgres_scheme_is_accepted_as_an_alias()
    {
        Assert.Equal(StoreKind.Postgres, StoreLocation.Parse("postgres://bob@127.0.0.1/x", Base).Kind);
    }

    [Fact]
    public void A_postgresql_uri_without_a_database_is_refused_saying_so()
    {
        var e = Assert.Throws<StoreException>(() => StoreLocation.Parse("postgresql://bob@127.0.0.1:5432", Base));
        Assert.Contains("database name is missing", e.Message);
    }

    [Fact]
    public void An_unknown_scheme_is_refused_naming_it_and_the_accepted_forms()
    {
        var e = Assert.Throws<StoreException>(() => StoreLocation.Parse("mysql://root@localhost/mltrack", Base));
        Assert.Equal(StoreErrorCode.InvalidParameterValue, e.Code);
        Assert.Contains("unknown scheme 'mysql://'", e.Message);
        Assert.Contains("sqlite:///", e.Message);
        Assert.Contains("postgresql://user@host:port/database", e.Message);
        Assert.Contains("a file path", e.Message);
    }

    [Fact]
    public void The_refusal_of_an_unknown_scheme_does_not_show_the_password()
    {
        var e = Assert.Throws<StoreException>(() => StoreLocation.Parse("mysql://root:hunter2@localhost/mltrack", Base));
        Assert.DoesNotContain("hunter2", e.Message);
        Assert.Contains("mysql://root:***@localhost/mltrack", e.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void An_empty_location_is_refused(string text)
    {
        var e = Assert.Throws<StoreException>(() => StoreLocation.Parse(text, Base));
        Assert.Contains("empty", e.Message);
    }

    [Fact]
    public void A_path_and_the_sqlite_uri_of_the_same_file_are_the_same_store()
    {
        var path = Path.Combine(Base, "mltrack.db");
        Assert.True(StoreLocation.Parse(path).SameStore(StoreLocation.Parse("sqlite:///mltrack.db", Base)));
        Assert.False(StoreLocation.Parse(path).SameStore(StoreLocation.Parse("other.db", Base)));
    }
}
