using System.Buffers;
using System.Net;
using System.Runtime.ExceptionServices;
using System.Security.Cryptography;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace MLTrack.Core.Artifacts.S3;

/// <summary>
/// Model files in an S3 bucket (AWS or any S3-compatible server, path-style), under <see cref="Prefix"/>:
/// bucket set-up (create, versioning, lifecycle for noncurrent versions), uploads (in parts above
/// <see cref="S3StorageOptions.MultipartThreshold"/>) that record the content sha256 as <c>x-amz-meta-sha256</c>,
/// downloads verified against it, presigned GET URLs, version listing and deletion.
/// Keys given to and returned by this class are relative to the prefix. Every failure is a
/// <see cref="ModelStorageException"/> naming endpoint, bucket and error code; a caller's cancellation stays an
/// <see cref="OperationCanceledException"/>.
/// </summary>
public sealed partial class S3ModelStorage : IDisposable
{
    /// <summary>Object metadata name of the content hash (sent as the header <c>x-amz-meta-sha256</c>).</summary>
    public const string Sha256MetadataName = "sha256";

    /// <summary>The Id of the lifecycle rule this storage maintains in the bucket.</summary>
    public const string LifecycleRuleId = "mltrack-noncurrent-version-expiry";

    private const string Sha256Header = "x-amz-meta-" + Sha256MetadataName;
    private const int CopyBufferSize = 1 << 20;

    private readonly S3StorageOptions _options;
    private readonly IAmazonS3 _client;
    private readonly bool _isHttp;
    private readonly S3ErrorTranslator _errors;

    /// <param name="options">Bucket, prefix, endpoint, credentials; what is unset comes from the environment.</param>
    /// <param name="environment">Reads an environment variable; null: the process environment.</param>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    /// <exception cref="ModelStorageException">A named AWS profile does not exist.</exception>
    public S3ModelStorage(S3StorageOptions options, Func<string, string?>? environment = null)
    {
        var connection = S3ClientFactory.Create(options, environment);
        _options = options;
        _client = connection.Client;
        _isHttp = connection.IsHttp;
        Endpoint = connection.Endpoint;
        Region = connection.Region;
        Prefix = S3Location.NormalizePrefix(options.Prefix);
        _errors = new S3ErrorTranslator(Endpoint, Bucket);
    }

    public string Bucket => _options.Bucket;

    /// <summary>The key prefix, without '/' at its ends; "" for the bucket root.</summary>
    public string Prefix { get; }

    /// <summary>The endpoint in use, e.g. <c>http://127.0.0.1:9000</c> or <c>https://s3.eu-west-1.amazonaws.com</c>.</summary>
    public string Endpoint { get; }

    public string Region { get; }

    /// <summary>This storage as <c>s3://bucket/prefix</c>.</summary>
    public S3Location Location => new(Bucket, Prefix);

    /// <summary>The key in the bucket of a caller's key: the prefix, '/', the key.</summary>
    /// <exception cref="ArgumentException">The key is empty or starts with '/'.</exception>
    public string ObjectKey(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var k = key.Replace('\\', '/');
        if (k.Length == 0 || k.StartsWith('/'))
            throw new ArgumentException($"Model key '{key}' must be a non-empty relative key.", nameof(key));
        return Prefix.Length == 0 ? k : Prefix + "/" + k;
    }

    // ---- bucket ------------------------------------------------------------------------------------------------

    /// <summary>
    /// Creates the bucket when it is missing, enables versioning and puts (or replaces) the lifecycle rule
    /// <see cref="LifecycleRuleId"/> expiring noncurrent versions after
    /// <see cref="S3StorageOptions.NoncurrentVersionExpirationDays"/> days, keeping the bucket's other rules.
    /// A server that does not implement versioning or lifecycle is reported in the result, not treated as an error.
    /// </summary>
    /// <exception cref="ModelStorageException">The bucket cannot be checked or created (unreachable endpoint, wrong
    /// credentials, invalid bucket name, bucket owned by someone else...).</exception>
    public async Task<BucketSetupResult> EnsureBucketAsync(CancellationToken cancellationToken = default)
    {
        bool created = false;
        if (!await Call("ListObjectsV2", null, () => BucketExistsAsync(cancellationToken), cancellationToken))
            created = await Call("CreateBucket", null, () => CreateBucketAsync(cancellationToken), cancellationToken);

        var versioning = await Call("PutBucketVersioning", null, () => EnableVersioningAsync(cancellationToken), cancellationToken);
        var lifecycle = await Call("PutLifecycleConfiguration", null, () => PutLifecycleRuleAsync(cancellationToken), cancellationToken);
        return new BucketSetupResult(Endpoint, Bucket, created, versioning, lifecycle, _options.NoncurrentVersionExpirationDays);
    }

    // A GET rather than HeadBucket: HEAD answers carry no error body, so a refusal would have no S3 error code.
    private async Task<bool> BucketExistsAsync(CancellationToken ct)
    {
        try
        {
            await _client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Bucket, MaxKeys = 1 }, ct);
            return true;
        }
        catch (AmazonServiceException e) when (e.ErrorCode == "NoSuchBucket")
        {
            return false;
        }
    }

    private async Task<bool> CreateBucketAsync(CancellationToken ct)
    {
        try
        {
            await _client.PutBucketAsync(new PutBucketRequest { BucketName = Bucket, UseClientRegion = true }, ct);
            return true;
        }
        catch (AmazonServiceException e) when (e.ErrorCode == "BucketAlreadyOwnedByYou")
        {
            return false; // created meanwhile by another caller with the same credentials
        }
    }

    private async Task<S3FeatureStatus> EnableVersioningAsync(CancellationToken ct)
    {
        AmazonServiceException? putError = null;
        try
        {
            await _client.PutBucketVersioningAsync(new PutBucketVersioningRequest
            {
                BucketName = Bucket,
                VersioningConfig = new S3BucketVersioningConfig { Status = VersionStatus.Enabled },
            }, ct);
        }
        catch (AmazonServiceException e) when (S3ErrorTranslator.IsUnsupported(e))
        {
            return new S3FeatureStatus(S3FeatureState.NotSupported, e.ErrorCode, $"The server does not implement bucket versioning: {e.ErrorCode}: {e.Message}");
        }
        catch (AmazonServiceException e) when (e.ErrorCode == "AccessDenied")
        {
            return new S3FeatureStatus(S3FeatureState.Denied, e.ErrorCode, $"Not allowed to enable versioning: {e.Message}");
        }
        catch (AmazonServiceException e)
        {
            putError = e; // some servers answer oddly (s3rver treats PUT ?versioning as "create bucket"): read back below
        }

        // Confirm by reading the state back: a server may answer the PUT without doing anything.
        string? status;
        try
        {
            var got = await _client.GetBucketVersioningAsync(new GetBucketVersioningRequest { BucketName = Bucket }, ct);
            status = got.VersioningConfig?.Status?.Value;
        }
        catch (AmazonServiceException e) when (S3ErrorTranslator.IsUnsupported(e))
        {
            return new S3FeatureStatus(S3FeatureState.NotSupported, putError?.ErrorCode ?? e.ErrorCode,
                $"The server cannot report bucket versioning: {e.ErrorCode}: {e.Message}");
        }
        if (status == VersionStatus.Enabled.Value)
            return new S3FeatureStatus(S3FeatureState.Enabled, null, "Versioning is enabled.");
        var answer = putError is null ? "accepted the request" : $"answered {putError.ErrorCode}: {putError.Message}";
        return new S3FeatureStatus(S3FeatureState.NotSupported, putError?.ErrorCode ?? "VersioningNotEnabled",
            $"The server {answer}, but versioning reads back as '{(string.IsNullOrEmpty(status) ? "Off" : status)}': it does not keep versions.");
    }

    private async Task<S3FeatureStatus> PutLifecycleRuleAsync(CancellationToken ct)
    {
        List<LifecycleRule> rules;
        try
        {
            var existing = await _client.GetLifecycleConfigurationAsync(new GetLifecycleConfigurationRequest { BucketName = Bucket }, ct);
            rules = existing.Configuration?.Rules?.Where(r => r.Id != LifecycleRuleId).ToList() ?? [];
        }
        catch (AmazonServiceException e) when (e.ErrorCode == "NoSuchLifecycleConfiguration")
        {
            rules = [];
        }
        catch (AmazonServiceException e) when (S3ErrorTranslator.IsUnsupported(e))
        {
            return new S3FeatureStatus(S3FeatureState.NotSupported, e.ErrorCode, $"The server does not implement bucket lifecycle configuration: {e.ErrorCode}: {e.Message}");
        }
        catch (AmazonServiceException e) when (e.ErrorCode == "AccessDenied")
        {
            return new S3FeatureStatus(S3FeatureState.Denied, e.ErrorCode, $"Not allowed to read the lifecycle configuration: {e.Message}");
        }

        rules.Add(BuildLifecycleRule(Prefix, _options.NoncurrentVersionExpirationDays));
        try
        {
            await _client.PutLifecycleConfigurationAsync(new PutLifecycleConfigurationRequest
            {
                BucketName = Bucket,
                Configuration = new LifecycleConfiguration { Rules = rules },
            }, ct);
        }
        catch (AmazonServiceException e) when (S3ErrorTranslator.IsUnsupported(e))
        {
            return new S3FeatureStatus(S3FeatureState.NotSupported, e.ErrorCode, $"The server does not implement bucket lifecycle configuration: {e.ErrorCode}: {e.Message}");
        }
        catch (AmazonServiceException e) when (e.ErrorCode == "AccessDenied")
        {
            return new S3FeatureStatus(S3FeatureState.Denied, e.ErrorCode, $"Not allowed to put the lifecycle configuration: {e.Message}");
        }
        return new S3FeatureStatus(S3FeatureState.Enabled, null,
            $"Noncurrent versions under '{(Prefix.Length == 0 ? "(bucket root)" : Prefix + "/")}' expire after {_options.NoncurrentVersionExpirationDays} days.");
    }

    /// <summary>The rule this storage maintains: noncurrent versions under the prefix expire after N days, and
    /// multipart uploads left incomplete are aborted after 7 days.</summary>
    internal static LifecycleRule BuildLifecycleRule(string prefix, int noncurrentDays) => new()
    {
        Id = LifecycleRuleId,
        Status = LifecycleRuleStatus.Enabled,
        Filter = new LifecycleFilter
        {
            LifecycleFilterPredicate = new LifecyclePrefixPredicate { Prefix = prefix.Length == 0 ? "" : prefix + "/" },
        },
        NoncurrentVersionExpiration = new LifecycleRuleNoncurrentVersionExpiration { NoncurrentDays = noncurrentDays },
        AbortIncompleteMultipartUpload = new LifecycleRuleAbortIncompleteMultipartUpload { DaysAfterInitiation = 7 },
    };

    // ---- upload ------------------------------------------------------------------------------------------------

    /// <summary>
    /// Uploads a local file as <paramref name="key"/>, in parts when it is larger than the multipart threshold, with
    /// its sha256 recorded as <c>x-amz-meta-sha256</c>. Returns the key, the new version id (null when the bucket keeps
    /// no versions), the size and the sha256.
    /// </summary>
    /// <exception cref="FileNotFoundException">The local file does not exist.</exception>
    /// <exception cref="ModelStorageException">The upload failed; a multipart upload is aborted.</exception>
    public Task<StoredModelObject> UploadFileAsync(string localPath, string key, CancellationToken cancellationToken = default)
    {
        if (!File.Exists(localPath)) throw new FileNotFoundException($"Model file '{localPath}' does not exist.", localPath);
        return UploadFromAsync(() => OpenRead(localPath), key, cancellationToken);
    }

    /// <summary>
    /// <see cref="UploadFileAsync"/> of the file <paramref name="open"/> opens (once to hash it, again to send it), for
    /// callers that must control how it is opened (an artifact folder refuses symbolic links on every open).
    /// </summary>
    public async Task<StoredModelObject> UploadFromAsync(Func<FileStream> open, string key, CancellationToken cancellationToken = default)
    {
        string sha256;
        long size;
        await using (var hashing = open())
        {
            sha256 = Convert.ToHexStringLower(await SHA256.HashDataAsync(hashing, cancellationToken));
            size = hashing.Length;
        }
        return await UploadFromAsync(open, key, size, sha256, cancellationToken);
    }

    /// <summary>
    /// <see cref="UploadFromAsync(Func{FileStream}, string, CancellationToken)"/> of content whose size and sha256 the
    /// caller already knows (it hashed the bytes as it wrote them and nothing changes them since). Each call of
    /// <paramref name="open"/> must give the content from its start (it is called once per attempt).
    /// </summary>
    public async Task<StoredModelObject> UploadFromAsync(Func<Stream> open, string key, long size, string sha256, CancellationToken cancellationToken = default)
    {
        var objectKey = ObjectKey(key);
        var operation = size > _options.MultipartThreshold ? "MultipartUpload" : "PutObject";
        var versionId = await Call(operation, objectKey, () => size > _options.MultipartThreshold
            ? UploadInPartsAsync(open, objectKey, size, sha256, cancellationToken)
            : PutSingleAsync(open, objectKey, sha256, cancellationToken), cancellationToken);
        return new StoredModelObject(key, versionId, size, sha256);
    }

    private async Task<string?> PutSingleAsync(Func<Stream> open, string objectKey, string sha256, CancellationToken ct)
    {
        var request = new PutObjectRequest
        {
            BucketName = Bucket,
            Key = objectKey,
            InputStream = open(),
            AutoCloseStream = true,
            ContentType = "application/octet-stream",
            UseChunkEncoding = false,
        };
        request.Metadata.Add(Sha256MetadataName, sha256);
        var response = await _client.PutObjectAsync(request, ct);
        return response.VersionId;
    }

    private async Task<string?> UploadInPartsAsync(Func<Stream> open, string objectKey, long size, string sha256, CancellationToken ct)
    {
        var initiate = new InitiateMultipartUploadRequest { BucketName = Bucket, Key = objectKey, ContentType = "application/octet-stream" };
        initiate.Metadata.Add(Sha256MetadataName, sha256);
        var uploadId = (await _client.InitiateMultipartUploadAsync(initiate, ct)).UploadId;
        try
        {
            int partSize = (int)_options.PartSize;
            int partCount = (int)((size + partSize - 1) / partSize);
            var etags = new PartETag[partCount];
            using var slots = new SemaphoreSlim(_options.MultipartConcurrency);
            using var failed = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var uploads = new List<Task>(partCount);
            Exception? stopped = null;
            try
            {
                await using var file = open();
                for (int i = 0; i < partCount; i++)
                {
                    await slots.WaitAsync(failed.Token);
                    var buffer = ArrayPool<byte>.Shared.Rent(partSize);
                    int length;
                    try
                    {
                        int want = (int)Math.Min(partSize, size - (long)i * partSize);
                        length = await file.ReadAtLeastAsync(buffer.AsMemory(0, want), want, throwOnEndOfStream: true, failed.Token);
                    }
                    catch
                    {
                        ArrayPool<byte>.Shared.Return(buffer);
                        slots.Release();
                        throw;
                    }
                    uploads.Add(UploadPartAsync(objectKey, uploadId, i + 1, buffer, length, etags, slots, failed));
                }
            }
            catch (Exception e)
            {
                stopped = e;
                await failed.CancelAsync();
            }

            // Always wait for the parts in flight (their buffers and the semaphore must outlive them). When reading
            // stopped because a part failed, that part's error is the one to report.
            bool stoppedByPartFailure = stopped is OperationCanceledException && !ct.IsCancellationRequested;
            try
            {
                await Task.WhenAll(uploads);
            }
            catch (Exception) when (stopped is not null && !stoppedByPartFailure)
            {
                // the read error below is the cause
            }
            if (stopped is not null) ExceptionDispatchInfo.Capture(stopped).Throw();

            var complete = new CompleteMultipartUploadRequest { BucketName = Bucket, Key = objectKey, UploadId = uploadId, PartETags = [.. etags] };
            var response = await _client.CompleteMultipartUploadAsync(complete, ct);
            return response.VersionId;
        }
        catch
        {
            try
            {
                await _client.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = Bucket, Key = objectKey, UploadId = uploadId }, CancellationToken.None);
            }
            catch (Exception)
            {
                // best effort; the lifecycle rule aborts leftovers after 7 days where lifecycle is supported
            }
            throw;
        }
    }

    private async Task UploadPartAsync(string objectKey, string uploadId, int partNumber, byte[] buffer, int length,
        PartETag[] etags, SemaphoreSlim slots, CancellationTokenSource failed)
    {
        try
        {
            var response = await _client.UploadPartAsync(new UploadPartRequest
            {
                BucketName = Bucket,
                Key = objectKey,
                UploadId = uploadId,
                PartNumber = partNumber,
                PartSize = length,
                InputStream = new MemoryStream(buffer, 0, length, writable: false),
                UseChunkEncoding = false,
            }, failed.Token);
            etags[partNumber - 1] = new PartETag(partNumber, response.ETag);
        }
        catch
        {
            await failed.CancelAsync(); // stop reading and starting further parts
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            slots.Release();
        }
    }

    // ---- download ----------------------------------------------------------------------------------------------

    /// <summary>
    /// Downloads <paramref name="key"/> (or one version of it) into <paramref name="destinationPath"/>, checking the
    /// bytes against the recorded sha256 and, when given, <paramref name="expectedSha256"/>. The file is written
    /// beside the destination first and moved into place only when the check passes.
    /// </summary>
    /// <exception cref="ModelIntegrityException">The bytes do not match, or no sha256 is recorded and none was given.</exception>
    /// <exception cref="ModelStorageException">The object or version does not exist, or the server ignored the version id.</exception>
    public async Task<StoredModelObject> DownloadToFileAsync(string key, string destinationPath, string? versionId = null,
        string? expectedSha256 = null, CancellationToken cancellationToken = default)
    {
        var full = Path.GetFullPath(destinationPath);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temp = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.part");
        try
        {
            StoredModelObject result;
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, CopyBufferSize, useAsync: true))
                result = await DownloadToStreamAsync(key, file, versionId, expectedSha256, cancellationToken);
            File.Move(temp, full, overwrite: true);
            return result;
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <summary>
    /// Copies <paramref name="key"/> (or one version of it) into <paramref name="destination"/> and then checks the
    /// bytes as <see cref="DownloadToFileAsync"/> does: when it throws <see cref="ModelIntegrityException"/> the caller
    /// must discard what was written.
    /// </summary>
    public Task<StoredModelObject> DownloadToStreamAsync(string key, Stream destination, string? versionId = null,
        string? expectedSha256 = null, CancellationToken cancellationToken = default) =>
        DownloadToStreamAsync(key, destination, versionId, expectedSha256, requireSha256: true, cancellationToken);

    /// <summary>
    /// <see cref="DownloadToStreamAsync(string, Stream, string?, string?, CancellationToken)"/>; without
    /// <paramref name="requireSha256"/> an object with no recorded sha256 (stored by another tool) is accepted as it
    /// is, and the result carries the sha256 of the bytes received.
    /// </summary>
    public Task<StoredModelObject> DownloadToStreamAsync(string key, Stream destination, string? versionId,
        string? expectedSha256, bool requireSha256, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var objectKey = ObjectKey(key);
        return Call("GetObject", objectKey, async () =>
        {
            using var response = await _client.GetObjectAsync(new GetObjectRequest { BucketName = Bucket, Key = objectKey, VersionId = versionId }, cancellationToken);
            if (versionId is not null && response.VersionId != versionId)
                throw VersionIgnored("GetObject", objectKey, versionId, response.VersionId);
            var recorded = NormalizeHash(response.Metadata[Sha256Header]);

            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var buffer = ArrayPool<byte>.Shared.Rent(CopyBufferSize);
            long total = 0;
            try
            {
                await using var body = response.ResponseStream;
                int read;
                while ((read = await body.ReadAsync(buffer.AsMemory(0, CopyBufferSize), cancellationToken)) > 0)
                {
                    hash.AppendData(buffer, 0, read);
                    await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                    total += read;
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
            await destination.FlushAsync(cancellationToken);
            var actual = Convert.ToHexStringLower(hash.GetHashAndReset());

            var expected = NormalizeHash(expectedSha256);
            var where = $"'{Bucket}/{objectKey}'{(response.VersionId is { } v ? $" version {v}" : "")} at {Endpoint}";
            if (recorded is null && expected is null && requireSha256)
                throw new ModelIntegrityException($"S3 object {where} has no recorded sha256 ({Sha256Header}) and none was given: its content cannot be verified (Sha256Missing).",
                    Endpoint, Bucket, objectKey, "Sha256Missing", null, actual);
            if (recorded is not null && recorded != actual)
                throw new ModelIntegrityException($"S3 object {where} is corrupt or was altered: its bytes hash to sha256 {actual} but {recorded} was recorded at upload (Sha256Mismatch).",
                    Endpoint, Bucket, objectKey, "Sha256Mismatch", recorded, actual);
            if (expected is not null && expected != actual)
                throw new ModelIntegrityException($"S3 object {where} is not the expected content: its bytes hash to sha256 {actual} but {expected} was expected (Sha256Mismatch).",
                    Endpoint, Bucket, objectKey, "Sha256Mismatch", expected, actual);
            return new StoredModelObject(key, response.VersionId, total, actual);
        }, cancellationToken);
    }

    // ---- presigned URLs ----------------------------------------------------------------------------------------

    /// <summary>A URL that GETs <paramref name="key"/> (or one version) without credentials until it expires
    /// (http:// for an http endpoint).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="expiresIn"/> is not within (0, 7 days].</exception>
    public Uri GetPresignedGetUrl(string key, TimeSpan expiresIn, string? versionId = null)
    {
        if (expiresIn <= TimeSpan.Zero || expiresIn > TimeSpan.FromDays(7))
            throw new ArgumentOutOfRangeException(nameof(expiresIn), expiresIn, "A presigned URL must expire within 7 days (and later than now).");
        var objectKey = ObjectKey(key);
        try
        {
            var url = _client.GetPreSignedURL(new GetPreSignedUrlRequest
            {
                BucketName = Bucket,
                Key = objectKey,
                VersionId = versionId,
                Verb = HttpVerb.GET,
                Expires = DateTime.UtcNow.Add(expiresIn),
                Protocol = _isHttp ? Protocol.HTTP : Protocol.HTTPS,
            });
            return new Uri(url);
        }
        catch (Exception e) when (e is AmazonClientException or AmazonServiceException)
        {
            throw _errors.Translate(e, "Presign", objectKey);
        }
    }

    // ---- versions and deletion ---------------------------------------------------------------------------------

    /// <summary>
    /// The versions of <paramref name="key"/>, newest first, delete markers included. When the server cannot list
    /// versions the listing says so and holds just the current object (if any).
    /// </summary>
    public Task<ModelVersionListing> ListVersionsAsync(string key, CancellationToken cancellationToken = default)
    {
        var objectKey = ObjectKey(key);
        return Call("ListObjectVersions", objectKey, async () =>
        {
            var versions = new List<ModelObjectVersion>();
            try
            {
                string? keyMarker = null, versionMarker = null;
                while (true)
                {
                    var page = await _client.ListVersionsAsync(new ListVersionsRequest
                    {
                        BucketName = Bucket,
                        Prefix = objectKey,
                        KeyMarker = keyMarker,
                        VersionIdMarker = versionMarker,
                    }, cancellationToken);
                    foreach (var v in page.Versions ?? [])
                    {
                        if (v.Key != objectKey) continue;
                        versions.Add(new ModelObjectVersion(key, v.VersionId, v.IsLatest ?? false, v.IsDeleteMarker ?? false,
                            v.Size ?? 0, v.LastModified is { } t ? new DateTimeOffset(t.ToUniversalTime()) : null, v.ETag));
                    }
                    if (page.IsTruncated != true) break;
                    keyMarker = page.NextKeyMarker;
                    versionMarker = page.NextVersionIdMarker;
                }
                return new ModelVersionListing(key, true, versions);
            }
            catch (AmazonServiceException e) when (S3ErrorTranslator.IsUnsupported(e))
            {
                var reason = $"The server does not list object versions: {e.ErrorCode}: {e.Message}";
                try
                {
                    var head = await _client.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = Bucket, Key = objectKey }, cancellationToken);
                    versions.Add(new ModelObjectVersion(key, head.VersionId, true, false, head.ContentLength,
                        head.LastModified is { } t ? new DateTimeOffset(t.ToUniversalTime()) : null, head.ETag));
                }
                catch (AmazonServiceException missing) when (S3ErrorTranslator.IsNotFound(missing))
                {
                    // no current object
                }
                return new ModelVersionListing(key, false, versions, reason);
            }
        }, cancellationToken);
    }

    /// <summary>
    /// Deletes <paramref name="key"/> (in a versioned bucket this adds a delete marker; older versions stay until the
    /// lifecycle rule expires them) or, with <paramref name="versionId"/>, that version for good. Deleting what does
    /// not exist is not an error.
    /// </summary>
    /// <exception cref="ModelStorageException">The server ignores version ids (nothing is deleted), or the delete failed.</exception>
    public Task DeleteAsync(string key, string? versionId = null, CancellationToken cancellationToken = default)
    {
        var objectKey = ObjectKey(key);
        return Call("DeleteObject", objectKey, async () =>
        {
            if (versionId is not null)
            {
                // A server without versions ignores ?versionId= and would delete the current object: check first.
                try
                {
                    var head = await _client.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = Bucket, Key = objectKey, VersionId = versionId }, cancellationToken);
                    if (head.VersionId != versionId)
                        throw VersionIgnored("DeleteObject", objectKey, versionId, head.VersionId);
                }
                catch (AmazonServiceException e) when (S3ErrorTranslator.IsNotFound(e))
                {
                    return true; // no such version: nothing to delete
                }
                catch (AmazonServiceException e) when (e.StatusCode == HttpStatusCode.MethodNotAllowed)
                {
                    // S3 answers HEAD of a delete marker with 405: the version exists and can be deleted
                }
            }
            await _client.DeleteObjectAsync(new DeleteObjectRequest { BucketName = Bucket, Key = objectKey, VersionId = versionId }, cancellationToken);
            return true;
        }, cancellationToken);
    }

    public void Dispose() => _client.Dispose();

    // ---- helpers -----------------------------------------------------------------------------------------------

    private async Task<T> Call<T>(string operation, string? objectKey, Func<Task<T>> action, CancellationToken ct)
    {
        try
        {
            return await action();
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e) when (e is not ModelStorageException && e is AmazonClientException or AmazonServiceException or HttpRequestException
                                      or IOException or OperationCanceledException or TimeoutException)
        {
            throw _errors.Translate(e, operation, objectKey);
        }
    }

    private ModelStorageException VersionIgnored(string operation, string objectKey, string requested, string? answered) =>
        new($"S3 {operation} of '{Bucket}/{objectKey}' version {requested} at {Endpoint} refused: VersionIdIgnored: the server answered with " +
            $"{(answered is null ? "no version id" : $"version {answered}")}, so it does not honour version ids (bucket versioning unsupported or off).",
            Endpoint, Bucket, "VersionIdIgnored", key: objectKey);

    private static string? NormalizeHash(string? hash) => string.IsNullOrWhiteSpace(hash) ? null : hash.Trim().ToLowerInvariant();

    private static FileStream OpenRead(string path) =>
        new(path, FileMode.Open, FileAccess.Read, FileShare.Read, CopyBufferSize, useAsync: true);
}
