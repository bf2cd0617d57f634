using System.Net;

namespace MLTrack.Server.Tests.Http;

/// <summary>
/// A value of the wrong JSON kind, anywhere in any request, answers 400 INVALID_PARAMETER_VALUE naming the field and the
/// kind expected, in MLflow's wording, and never a .NET type name.
/// </summary>
public sealed class JsonBindingErrorTests(ServerFixture f) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task A_non_numeric_metric_value_names_the_field_and_the_expected_kind()
    {
        var run = await f.CreateRunAsync();

        var r = await f.PostRawAsync("runs/log-metric", $$"""{"run_id":"{{run}}","key":"k","value":"abc","timestamp":1}""");

        Assert.Equal(HttpStatusCode.BadRequest, r.Status);
        Assert.Equal("INVALID_PARAMETER_VALUE", r.ErrorCode);
        Assert.Equal("Invalid value \"abc\" for parameter 'value' supplied: expected a number.", r.Message);
        Assert.Empty(f.Store.GetRun(run).Metrics);
    }

    [Theory]
    [InlineData("runs/log-metric", """{"run_id":"$RUN","key":"k","value":1,"timestamp":"yesterday"}""", "Invalid value \"yesterday\" for parameter 'timestamp' supplied: expected an integer.")]
    [InlineData("runs/log-metric", """{"run_id":"$RUN","key":"k","value":1,"timestamp":1,"step":1.5}""", "Invalid value 1.5 for parameter 'step' supplied: expected an integer.")]
    [InlineData("runs/log-metric", """{"run_id":"$RUN","key":"k","value":null,"timestamp":1,"step":[0]}""", "Invalid value [0] for parameter 'step' supplied: expected an integer.")]
    [InlineData("runs/log-batch", """{"run_id":"$RUN","metrics":[{"key":"k","value":"NaNa","timestamp":1}]}""", "Invalid value \"NaNa\" for parameter 'metrics[0].value' supplied: expected a number.")]
    [InlineData("runs/log-batch", """{"run_id":"$RUN","metrics":{"key":"k"}}""", "Invalid value {\"key\":\"k\"} for parameter 'metrics' supplied: expected a list.")]
    [InlineData("runs/log-batch", """{"run_id":"$RUN","params":[5]}""", "Invalid value 5 for parameter 'params[0]' supplied: expected an object.")]
    [InlineData("runs/update", """{"run_id":"$RUN","end_time":true}""", "Invalid value true for parameter 'end_time' supplied: expected an integer.")]
    [InlineData("runs/search", """{"max_results":{"a":1}}""", "Invalid value {\"a\":1} for parameter 'max_results' supplied: expected an integer.")]
    [InlineData("runs/search", """{"experiment_ids":[{"id":0}]}""", "for parameter 'experiment_ids' supplied: expected a list of strings or numbers.")]
    [InlineData("experiments/create", """{"name":"x","tags":"team=cv"}""", "Invalid value \"team=cv\" for parameter 'tags' supplied: expected a list.")]
    [InlineData("../mltrack/runs/log-files", """{"run_id":"$RUN","inputs":[{"path":"a","size":"big","sha256":"x"}]}""", "Invalid value \"big\" for parameter 'inputs[0].size' supplied: expected an integer.")]
    public async Task Every_field_of_the_wrong_kind_is_named_with_the_kind_expected(string path, string body, string message)
    {
        var run = await f.CreateRunAsync();

        var r = await f.PostRawAsync(path, body.Replace("$RUN", run, StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.BadRequest, r.Status);
        Assert.Equal("INVALID_PARAMETER_VALUE", r.ErrorCode);
        Assert.Contains(message, r.Message);
        Assert.DoesNotContain("System.", r.Body);
        Assert.DoesNotContain("`1", r.Body);
    }

    [Fact]
    public async Task A_deployment_config_of_the_wrong_kind_names_the_nested_field()
    {
        var run = await f.CreateRunAsync();
        using var response = await f.Client.PostAsync("api/deployments",
            new StringContent($$$"""{"run_id":"{{{run}}}","target":"local","config":{"memory_mb":"lots"}}""", System.Text.Encoding.UTF8, "application/json"));
        var r = await ApiResponse.ReadAsync(response);

        Assert.Equal(HttpStatusCode.BadRequest, r.Status);
        Assert.Equal("Invalid value \"lots\" for parameter 'config.memory_mb' supplied: expected an integer.", r.Message);
    }

    [Fact]
    public async Task A_query_string_value_of_the_wrong_kind_names_the_field()
    {
        var run = await f.CreateRunAsync();

        var r = await f.GetAsync($"metrics/get-history?run_id={run}&metric_key=k&max_results=ten");

        Assert.Equal(HttpStatusCode.BadRequest, r.Status);
        Assert.Equal("Invalid value \"ten\" for parameter 'max_results' supplied: expected an integer.", r.Message);
    }
}
