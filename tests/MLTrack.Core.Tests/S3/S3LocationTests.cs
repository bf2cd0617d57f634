using MLTrack.Core.Artifacts.S3;

namespace MLTrack.Core.Tests.S3;

public sealed class S3LocationTests
{
    [Theory]
    [InlineData("s3://models", "models", "")]
    [InlineData("s3://models/", "models", "")]
    [InlineData("s3://models/team/a", "models", "team/a")]
    [InlineData("s3://models/team//a/", "models", "team/a")]
    [InlineData("S3://models/x", "models", "x")]
    public void An_s3_uri_gives_bucket_and_normalized_prefix(string uri, string bucket, string prefix)
    {
        Assert.Equal(new S3Location(bucket, prefix), S3Location.Parse(uri));
    }

    [Theory]
    [InlineData("models/team")]
    [InlineData("https://models/team")]
    [InlineData("s3://")]
    [InlineData("s3:///prefix")]
    [InlineData("s3://models/team?versionId=1")]
    public void Anything_else_is_refused_with_the_expected_form(string uri)
    {
        var error = Assert.Throws<FormatException>(() => S3Location.Parse(uri));
        Assert.Contains("s3://bucket/prefix", error.Message);
    }

    [Fact]
    public void A_location_prints_as_its_uri()
    {
        Assert.Equal("s3://models/team/a", S3Location.Parse("s3://models/team/a/").ToString());
        Assert.Equal("s3://models", S3Location.Parse("s3://models").ToString());
    }
}
