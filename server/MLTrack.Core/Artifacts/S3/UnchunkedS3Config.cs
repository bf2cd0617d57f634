using Amazon.S3;

namespace MLTrack.Core.Artifacts.S3;

/// <summary>The configuration of clients made by <see cref="S3ClientFactory"/>; marks them for <see cref="UnchunkedPayloadCustomizer"/>.</summary>
internal sealed class UnchunkedS3Config : AmazonS3Config;
