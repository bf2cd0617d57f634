using System.Net;
using MLTrack.Core.Tests.S3;
using MLTrack.Server.Composition;
using MLTrack.Server.Rpc;
using MLTrack.Server.Rpc.Dto;
using MLTrack.Server.Tests.Rpc;

namespace MLTrack.Server.Tests.Composition;

/// <summary>
/// Runs launched from the editor get the same artifact settings as <c>mltrack run</c>: with <c>--artifacts s3://…</c>
/// (or <c>$MLTRACK_ARTIFACTS</c>) given to <c>mltrack rpc</c>, the run's own artifacts and those its code uploads
/// through the in-process tracking server land in S3.
/// </summary>
[Collection(S3rverCollection.Name)]
public sealed class EditorLaunchArtifactTests(S3rverFixture s3) : IAsyncLifetime
{
    private RpcHarness _h = null!;
    private string _bucket = "";

    public async Task InitializeAsync()
    {
        using var storage = await s3.NewStorageAsync();
        _bucket = storage.Bucket;
        var settings = new MltrackSettings
        {
            Artifacts = $"s3://{_bucket}/team",
            Environment = name => name switch
            {
                "AWS_ENDPOINT_URL" => s3.ServiceUrl,
                "AWS_ACCESS_KEY_ID" => S3rverFixture.AccessKey,
                "AWS_SECRET_ACCESS_KEY" => S3rverFixture.SecretKey,
                "AWS_REGION" => "us-east-1",
                _ => null,
            },
        };
        _h = new RpcHarness(configure: o => o with { Settings = settings });
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task A_run_launched_over_rpc_mirrors_its_log_and_its_uploads_to_s3()
    {
        await _h.Call<InitializeResult>(RpcMethods.Initialize, new { workspaceFolder = _h.Workspace });
        var launched = await _h.Call<LaunchResultDto>(RpcMethods.RunsLaunch, new
        {
            command = new[] { "sh", "-c", "echo \"$MLTRACK_TRACKING_URI $MLTRACK_TOKEN\"" },
        });
        var line = (await _h.Notifications.WaitFor<LogAppendParams>(l => l.RunId == launched.RunId && l.Stream == "stdout")).Lines[0].Split(' ');
        await _h.Notifications.WaitFor<RunChangedParams>(c => c.RunId == launched.RunId && c.Status == "FINISHED");

        // The launcher's own artifact: the output log.
        var log = await s3.Http.GetStringAsync(s3.ObjectUrl(_bucket, $"team/{launched.RunId}/logs/output.log"));
        Assert.Contains(line[0], log);

        // An upload by the run's code, through the tracking server it was pointed at.
        using var http = new HttpClient();
        using var put = new HttpRequestMessage(HttpMethod.Put, $"{line[0]}/api/2.0/mlflow-artifacts/artifacts/{launched.RunId}/artifacts/model.txt")
        {
            Content = new StringContent("weights"),
        };
        put.Headers.Authorization = new("Bearer", line[1]);
        using var response = await http.SendAsync(put);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        Assert.Equal("weights", await s3.Http.GetStringAsync(s3.ObjectUrl(_bucket, $"team/{launched.RunId}/model.txt")));
    }
}
