using System.Net;
using MLTrack.Core.Lineage;

namespace MLTrack.Server.Tests.Http;

/// <summary>Contract of the MLTrack extension POST /api/2.0/mltrack/runs/log-files.</summary>
public sealed class RunFilesApiTests(ServerFixture f) : IClassFixture<ServerFixture>
{
    private static readonly string ShaA = new('a', 64);
    private static readonly string ShaB = new('b', 64);

    private async Task<ApiResponse> LogFiles(object body)
    {
        using var content = new StringContent(System.Text.Json.JsonSerializer.Serialize(body), System.Text.Encoding.UTF8, "application/json");
        using var response = await f.Client.PostAsync("api/2.0/mltrack/runs/log-files", content);
        return await ApiResponse.ReadAsync(response);
    }

    [Fact]
    public async Task Records_the_inputs_and_outputs_of_a_run()
    {
        var run = await f.CreateRunAsync();

        var r = await LogFiles(new
        {
            run_id = run,
            inputs = new[] { new { path = "data/train.csv", size = 10, sha256 = ShaA } },
            outputs = new[] { new { path = "model.pkl", size = 20, sha256 = ShaB } },
        });

        Assert.Equal(HttpStatusCode.OK, r.Status);
        var files = f.Store.ListRunFiles(run);
        Assert.Contains(files, x => x is { Direction: FileDirection.Input, Path: "data/train.csv", Size: 10 } && x.Sha256 == ShaA);
        Assert.Contains(files, x => x is { Direction: FileDirection.Output, Path: "model.pkl", Size: 20 } && x.Sha256 == ShaB);
    }

    [Fact]
    public async Task A_malformed_sha256_is_INVALID_PARAMETER_VALUE_naming_the_field()
    {
        var run = await f.CreateRunAsync();

        var r = await LogFiles(new { run_id = run, inputs = new[] { new { path = "x", size = 1, sha256 = "xyz" } } });

        Assert.Equal("INVALID_PARAMETER_VALUE", r.ErrorCode);
        Assert.Contains("inputs[0].sha256", r.Message);
        Assert.Empty(f.Store.ListRunFiles(run));
    }

    [Fact]
    public async Task Files_for_an_unknown_run_are_RESOURCE_DOES_NOT_EXIST()
    {
        var r = await LogFiles(new { run_id = Guid.NewGuid().ToString("N"), inputs = new[] { new { path = "x", size = 1, sha256 = ShaA } } });

        Assert.Equal(HttpStatusCode.NotFound, r.Status);
    }
}
