using MLTrack.Core.Runs;
using MLTrack.Core.Search;
using MLTrack.Core.Storage;
using MLTrack.Core.Tests.Launch;

namespace MLTrack.Core.Tests.Search;

/// <summary>Filters too big for SQLite are refused as filters, naming the limit, before any SQL runs.</summary>
public sealed class FilterSizeLimitTests : IDisposable
{
    private readonly TempStore _store = new();

    public void Dispose() => _store.Dispose();

    private static string Clauses(int n) => string.Join(" and ", Enumerable.Range(0, n).Select(i => $"metrics.m{i} > 0"));

    [Fact]
    public void A_filter_of_100_clauses_parses()
    {
        Assert.Equal(FilterParser.MaxClauses, FilterParser.Parse(Clauses(FilterParser.MaxClauses)).Clauses.Count);
    }

    [Fact]
    public void The_101st_clause_is_refused_at_its_position_naming_the_limit()
    {
        var filter = Clauses(101);

        var e = Assert.Throws<FilterSyntaxException>(() => FilterParser.Parse(filter));

        Assert.Equal(filter.LastIndexOf("metrics.m100", StringComparison.Ordinal), e.Position);
        Assert.Contains("at most 100 comparisons", e.Message);
    }

    [Fact]
    public void In_lists_over_1000_values_in_all_are_refused_naming_the_limit()
    {
        string List(int from, int n) => "(" + string.Join(", ", Enumerable.Range(from, n).Select(i => $"'v{i}'")) + ")";
        Assert.Single(FilterParser.Parse($"params.p IN {List(0, 1000)}").Clauses);

        var e = Assert.Throws<FilterSyntaxException>(() => FilterParser.Parse($"params.p IN {List(0, 600)} and tags.t IN {List(0, 401)}"));

        Assert.Contains("at most 1000 values", e.Message);
    }

    [Fact]
    public void A_2000_clause_search_is_a_filter_error_not_a_store_failure()
    {
        var e = Assert.Throws<FilterSyntaxException>(() => _store.Store.SearchRuns(new RunQuery { Filter = Clauses(2000), MaxResults = 10 }));

        Assert.Contains("at most 100 comparisons", e.Message);
    }

    [Fact]
    public void A_search_of_100_clauses_runs_in_the_store()
    {
        var run = _store.Store.CreateRun(new NewRun { ExperimentId = Experiment.DefaultId });
        _store.Store.LogBatch(run.RunId, new RunBatch { Metrics = Enumerable.Range(0, 100).Select(i => new MLTrack.Core.Metrics.MetricPoint($"m{i}", 1, 1, 0)).ToList() });

        var page = _store.Store.SearchRuns(new RunQuery { Filter = Clauses(FilterParser.MaxClauses), MaxResults = 10 });

        Assert.Equal(run.RunId, Assert.Single(page.Runs).RunId);
    }

    [Fact]
    public void More_than_20_order_by_terms_are_refused_naming_the_limit()
    {
        var terms = Enumerable.Range(0, 70).Select(i => $"metrics.m{i}").ToList();

        var e = Assert.Throws<FilterSyntaxException>(() => _store.Store.SearchRuns(new RunQuery { OrderBy = terms, MaxResults = 10 }));

        Assert.Contains("at most 20 order_by terms", e.Message);
        Assert.Empty(_store.Store.SearchRuns(new RunQuery { OrderBy = terms[..20], MaxResults = 10 }).Runs);
    }

    [Fact]
    public void The_caret_line_of_a_huge_filter_shows_only_the_text_around_the_problem()
    {
        var e = Assert.Throws<FilterSyntaxException>(() => FilterParser.Parse(Clauses(2000)));

        var lines = e.FormatWithCaret().Split('\n');
        Assert.True(lines[0].Length <= 130, lines[0]);
        Assert.Equal(e.Filter[e.Position..(e.Position + 10)], lines[0][lines[1].IndexOf('^')..][..10]);
    }
}
