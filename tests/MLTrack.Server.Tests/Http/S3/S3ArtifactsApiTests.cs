namespace MLTrack.Server.Tests.Http.S3;

/// <summary>
/// The artifact API contract on a server whose artifacts are in S3: MLflow clients still upload, list and download
/// through the server's REST API (the proxied mlflow-artifacts:/ URIs), and the bytes land in the bucket.
/// </summary>
public sealed class S3ArtifactsApiTests(S3ServerFixture f) : ArtifactsApiContract(f), IClassFixture<S3ServerFixture>
{
    [Fact]
    public async Task A_run_created_through_the_API_records_its_s3_location_while_clients_keep_the_proxied_uri()
    {
        var exp = await f.CreateExperimentAsync();
        var run = await f.CreateRunAsync(exp);

        var got = await f.GetAsync($"runs/get?run_id={run}");

        Assert.Equal($"s3://{f.Bucket}/{S3ServerFixture.Prefix}/{run}", f.Store.GetRun(run).ArtifactUri);
        Assert.Equal($"mlflow-artifacts:/{exp}/{run}/artifacts", got.Json.GetProperty("run").GetProperty("info").GetProperty("artifact_uri").GetString());
    }
}

/// <summary>Upload atomicity on a server whose artifacts are in S3.</summary>
public sealed class S3ArtifactUploadAtomicityTests(S3ServerFixture f) : ArtifactUploadAtomicityContract(f), IClassFixture<S3ServerFixture>;
