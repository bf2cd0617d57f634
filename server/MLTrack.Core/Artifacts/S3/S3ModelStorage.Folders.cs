using Amazon.Runtime;
using Amazon.S3.Model;

namespace MLTrack.Core.Artifacts.S3;

/// <summary>Keys as folders: HEAD, '/'-delimited listing, listing and deleting everything under a key prefix.</summary>
public sealed partial class S3ModelStorage
{
    /// <summary>Size, recorded sha256 and ETag of <paramref name="key"/>; null when there is no such object.</summary>
    public Task<S3ObjectHead?> HeadAsync(string key, CancellationToken cancellationToken = default)
    {
        var objectKey = ObjectKey(key);
        return Call("HeadObject", objectKey, async () =>
        {
            try
            {
                var head = await _client.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = Bucket, Key = objectKey }, cancellationToken);
                return new S3ObjectHead(head.ContentLength, NormalizeHash(head.Metadata[Sha256Header]), head.ETag);
            }
            catch (AmazonServiceException e) when (S3ErrorTranslator.IsNotFound(e))
            {
                return (S3ObjectHead?)null;
            }
        }, cancellationToken);
    }

    /// <summary>
    /// The objects and sub-folders directly in the folder <paramref name="folderKey"/> (a key prefix ending in '/'),
    /// all pages of it, names relative to the folder.
    /// </summary>
    public Task<S3FolderListing> ListFolderAsync(string folderKey, CancellationToken cancellationToken = default)
    {
        var prefix = FolderPrefix(folderKey);
        return Call("ListObjectsV2", prefix, async () =>
        {
            var files = new List<S3ListedObject>();
            var folders = new List<string>();
            string? token = null;
            do
            {
                var page = await _client.ListObjectsV2Async(new ListObjectsV2Request
                {
                    BucketName = Bucket,
                    Prefix = prefix,
                    Delimiter = "/",
                    ContinuationToken = token,
                }, cancellationToken);
                foreach (var o in page.S3Objects ?? []) // null, not empty, when nothing matches
                {
                    var name = o.Key[prefix.Length..];
                    if (name.Length > 0) files.Add(new S3ListedObject(name, o.Size ?? 0, o.ETag));
                }
                foreach (var p in page.CommonPrefixes ?? [])
                {
                    var name = p[prefix.Length..].TrimEnd('/');
                    if (name.Length > 0) folders.Add(name);
                }
                token = page.IsTruncated == true ? page.NextContinuationToken : null;
            }
            while (token is not null);
            return new S3FolderListing(files, folders);
        }, cancellationToken);
    }

    /// <summary>Every object below <paramref name="folderKey"/> (a key prefix ending in '/'), names relative to it, in key order.</summary>
    public Task<IReadOnlyList<S3ListedObject>> ListAllAsync(string folderKey, CancellationToken cancellationToken = default)
    {
        var prefix = FolderPrefix(folderKey);
        return Call("ListObjectsV2", prefix, async () =>
        {
            var all = new List<S3ListedObject>();
            string? token = null;
            do
            {
                var page = await _client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Bucket, Prefix = prefix, ContinuationToken = token }, cancellationToken);
                foreach (var o in page.S3Objects ?? [])
                {
                    var name = o.Key[prefix.Length..];
                    if (name.Length > 0 && !name.EndsWith('/')) all.Add(new S3ListedObject(name, o.Size ?? 0, o.ETag));
                }
                token = page.IsTruncated == true ? page.NextContinuationToken : null;
            }
            while (token is not null);
            return (IReadOnlyList<S3ListedObject>)all;
        }, cancellationToken);
    }

    /// <summary>Deletes every object below <paramref name="folderKey"/> (a key prefix ending in '/'); returns how many.</summary>
    public async Task<int> DeleteAllUnderAsync(string folderKey, CancellationToken cancellationToken = default)
    {
        var prefix = FolderPrefix(folderKey);
        var objects = await ListAllAsync(folderKey, cancellationToken);
        foreach (var batch in objects.Chunk(1000)) // the most one DeleteObjects request takes
        {
            await Call("DeleteObjects", prefix, async () =>
            {
                var response = await _client.DeleteObjectsAsync(new DeleteObjectsRequest
                {
                    BucketName = Bucket,
                    Objects = batch.Select(o => new KeyVersion { Key = prefix + o.Name }).ToList(),
                    Quiet = true,
                }, cancellationToken);
                if (response.DeleteErrors is { Count: > 0 } errors)
                    throw new ModelStorageException(
                        $"S3 DeleteObjects under '{Bucket}/{prefix}' at {Endpoint} failed for {errors.Count} object(s): {errors[0].Code}: {errors[0].Message} ('{errors[0].Key}')",
                        Endpoint, Bucket, errors[0].Code ?? "DeleteFailed", key: errors[0].Key);
                return true;
            }, cancellationToken);
        }
        return objects.Count;
    }

    private string FolderPrefix(string folderKey)
    {
        if (!folderKey.EndsWith('/')) throw new ArgumentException($"Folder key '{folderKey}' must end with '/'.", nameof(folderKey));
        return ObjectKey(folderKey);
    }
}
