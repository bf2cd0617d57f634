using MLTrack.Core.Artifacts;
using MLTrack.Core.Artifacts.Local;
using MLTrack.Core.Artifacts.S3;

namespace MLTrack.Core.Tests.Artifacts;

public sealed class ArtifactStoreFactoryTests
{
    private const string Local = "/tmp/mltrack-factory/artifacts";

    private static readonly Dictionary<string, string?> S3Environment = new()
    {
        ["AWS_ENDPOINT_URL"] = "http://127.0.0.1:9000",
        ["AWS_ACCESS_KEY_ID"] = "key",
        ["AWS_SECRET_ACCESS_KEY"] = "secret",
    };

    private static IArtifactStore Open(string? uri, Dictionary<string, string?>? env = null) =>
        ArtifactStoreFactory.Open(uri, Local, k => (env ?? S3Environment).GetValueOrDefault(k));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void No_uri_gives_the_local_folder(string? uri)
    {
        using var store = Assert.IsType<LocalArtifactStore>(Open(uri));
        Assert.Equal(Local, store.Root);
    }

    [Fact]
    public void A_folder_path_gives_a_local_store_there()
    {
        using var store = Assert.IsType<LocalArtifactStore>(Open("/srv/artifacts/"));
        Assert.Equal("/srv/artifacts", store.Root);
        Assert.Equal("file:///srv/artifacts", store.Location);
    }

    [Fact]
    public void A_relative_folder_is_taken_from_the_current_directory()
    {
        using var store = Assert.IsType<LocalArtifactStore>(Open("art"));
        Assert.Equal(Path.GetFullPath("art"), store.Root);
    }

    [Fact]
    public void A_file_uri_gives_a_local_store_at_its_path()
    {
        using var store = Assert.IsType<LocalArtifactStore>(Open("file:///srv/my%20artifacts"));
        Assert.Equal("/srv/my artifacts", store.Root);
    }

    [Fact]
    public void An_s3_uri_gives_an_S3_store_with_bucket_prefix_endpoint_from_the_environment_and_the_local_folder_as_cache()
    {
        using var store = Assert.IsType<S3ArtifactStore>(Open("s3://team-bucket/mltrack/artifacts/"));
        Assert.Equal("team-bucket", store.Storage.Bucket);
        Assert.Equal("mltrack/artifacts", store.Storage.Prefix);
        Assert.Equal("http://127.0.0.1:9000", store.Endpoint);
        Assert.Equal(Local, store.CacheFolder);
        Assert.Equal("s3://team-bucket/mltrack/artifacts", store.Location);
        Assert.Equal("s3://team-bucket/mltrack/artifacts/r1", store.RunUri("r1"));
    }

    [Fact]
    public void The_s3_specific_endpoint_variable_wins()
    {
        var env = new Dictionary<string, string?>(S3Environment) { ["AWS_ENDPOINT_URL_S3"] = "http://10.0.0.5:9000" };
        using var store = Assert.IsType<S3ArtifactStore>(Open("s3://b", env));
        Assert.Equal("http://10.0.0.5:9000", store.Endpoint);
    }

    [Theory]
    [InlineData("gs://bucket/x", "the scheme 'gs:' is not supported")]
    [InlineData("mlflow-artifacts:/0/abc", "the scheme 'mlflow-artifacts:' is not supported")]
    [InlineData("s3://", "names no bucket")]
    [InlineData("s3:///prefix", "names no bucket")]
    [InlineData("s3://b/p?versionId=1", "must not have a query or fragment")]
    [InlineData("file://server/share", "names the host 'server'")]
    public void A_bad_uri_is_refused_saying_what_is_wrong(string uri, string problem)
    {
        var e = Assert.Throws<ArgumentException>(() => Open(uri));
        Assert.Contains(uri, e.Message);
        Assert.Contains(problem, e.Message);
    }

    [Fact]
    public void A_bad_endpoint_in_the_environment_is_refused_naming_it()
    {
        var env = new Dictionary<string, string?>(S3Environment) { ["AWS_ENDPOINT_URL"] = "127.0.0.1:9000" };

        var e = Assert.Throws<ArgumentException>(() => Open("s3://b/p", env));

        Assert.Contains("s3://b/p", e.Message);
        Assert.Contains("'127.0.0.1:9000'", e.Message);
    }

    [Fact]
    public void An_unsupported_scheme_lists_the_forms_that_work()
    {
        var e = Assert.Throws<ArgumentException>(() => Open("http://example.com/artifacts"));
        Assert.Contains(ArtifactStoreFactory.Forms, e.Message);
    }
}
