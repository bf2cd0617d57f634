using MLTrack.Core.Artifacts.S3;

namespace MLTrack.Core.Tests.S3;

public sealed class S3StorageOptionsTests
{
    [Fact]
    public void Options_from_an_s3_uri_take_bucket_and_prefix_and_leave_the_rest_to_the_environment()
    {
        var options = S3StorageOptions.FromUri("s3://models/runs");

        Assert.Equal("models", options.Bucket);
        Assert.Equal("runs", options.Prefix);
        Assert.Null(options.ServiceUrl);
        Assert.Null(options.Region);
        Assert.Null(options.AccessKeyId);
    }

    [Fact]
    public void Printed_options_never_show_the_secret_key()
    {
        var options = new S3StorageOptions { Bucket = "models", AccessKeyId = "AKIDEXAMPLE", SecretAccessKey = "wJalrXUtnFEMI/K7MDENG" };

        Assert.DoesNotContain("wJalrXUtnFEMI", options.ToString());
        Assert.Contains("models", options.ToString());
    }

    [Theory]
    [InlineData("ftp://host:21")]
    [InlineData("127.0.0.1:9000")]
    public void An_endpoint_that_is_not_an_http_url_is_refused(string url)
    {
        var options = new S3StorageOptions { Bucket = "models", ServiceUrl = url };
        Assert.Contains("http", Assert.Throws<ArgumentException>(options.Validate).Message);
    }

    [Fact]
    public void Parts_smaller_than_the_S3_minimum_are_refused()
    {
        var options = new S3StorageOptions { Bucket = "models", PartSize = 4 * S3StorageOptions.MiB };
        Assert.Throws<ArgumentException>(options.Validate);
    }

    [Fact]
    public void An_access_key_without_its_secret_is_refused()
    {
        var options = new S3StorageOptions { Bucket = "models", AccessKeyId = "AKIDEXAMPLE" };
        Assert.Throws<ArgumentException>(options.Validate);
    }

    [Fact]
    public void The_lifecycle_rule_expires_noncurrent_versions_under_the_prefix_after_the_configured_days()
    {
        var rule = S3ModelStorage.BuildLifecycleRule("team/a", 12);

        Assert.Equal(S3ModelStorage.LifecycleRuleId, rule.Id);
        Assert.Equal(12, rule.NoncurrentVersionExpiration.NoncurrentDays);
        Assert.Equal("team/a/", Assert.IsType<Amazon.S3.Model.LifecyclePrefixPredicate>(rule.Filter.LifecycleFilterPredicate).Prefix);
        Assert.Equal(Amazon.S3.LifecycleRuleStatus.Enabled, rule.Status);
    }
}
