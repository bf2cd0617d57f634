using System.Net;

namespace MLTrack.Server.Tests.Http;

/// <summary>Searches too big for the store are refused as bad filters (400 naming the limit), not store failures.</summary>
public sealed class FilterLimitApiTests(ServerFixture f) : IClassFixture<ServerFixture>
{
    private static string Clauses(int n, string subject = "metrics.m") => string.Join(" and ", Enumerable.Range(0, n).Select(i => $"{subject}{i} > 0"));

    [Fact]
    public async Task A_2000_clause_run_filter_is_400_naming_the_limit_without_store_details()
    {
        var r = await f.PostAsync("runs/search", new { experiment_ids = new[] { "0" }, filter = Clauses(2000) });

        Assert.Equal(HttpStatusCode.BadRequest, r.Status);
        Assert.Equal("INVALID_PARAMETER_VALUE", r.ErrorCode);
        Assert.Contains("at most 100 comparisons", r.Message);
        Assert.DoesNotContain("SQLite", r.Body);
        Assert.DoesNotContain(f.MltrackDir, r.Body);
        Assert.True(r.Body.Length < 1000, $"the error quotes the whole filter: {r.Body.Length} characters");
    }

    [Fact]
    public async Task A_100_clause_run_filter_is_answered()
    {
        var r = await f.PostAsync("runs/search", new { experiment_ids = new[] { "0" }, filter = Clauses(100) });

        Assert.Equal(HttpStatusCode.OK, r.Status);
    }

    [Fact]
    public async Task A_2000_clause_experiment_filter_is_400_naming_the_limit()
    {
        var filter = string.Join(" and ", Enumerable.Range(0, 2000).Select(i => $"name != 'e{i}'"));

        var r = await f.PostAsync("experiments/search", new { filter });

        Assert.Equal(HttpStatusCode.BadRequest, r.Status);
        Assert.Contains("at most 100 comparisons", r.Message);
    }
}
