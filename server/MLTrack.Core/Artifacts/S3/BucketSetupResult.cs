namespace MLTrack.Core.Artifacts.S3;

/// <summary>
/// What <see cref="S3ModelStorage.EnsureBucketAsync"/> did: whether it created the bucket, and whether versioning and
/// the lifecycle rule (noncurrent versions expire after <see cref="NoncurrentVersionExpirationDays"/> days) are in effect.
/// A server without these features is reported here, not hidden: models are then stored without version history.
/// </summary>
public sealed record BucketSetupResult(
    string Endpoint, string Bucket, bool Created, S3FeatureStatus Versioning, S3FeatureStatus Lifecycle, int NoncurrentVersionExpirationDays);
