using Amazon.Runtime;
using Amazon.Runtime.Internal;
using Amazon.S3;
using Amazon.S3.Model;

namespace MLTrack.Core.Artifacts.S3;

/// <summary>
/// Turns off aws-chunked payload signing for PutObject and UploadPart on the clients <see cref="S3ClientFactory"/>
/// makes (identified by their <see cref="UnchunkedS3Config"/>), including requests made for us by SDK helpers such as
/// TransferUtility. Many S3-compatible servers (s3rver among them) accept the chunk-signed body, answer 200, and store
/// the chunk framing inside the object: 12 bytes become 305. Other S3 clients in the process are left alone.
/// </summary>
internal sealed class UnchunkedPayloadCustomizer : IRuntimePipelineCustomizer
{
    private static readonly Lazy<bool> Registration = new(() =>
    {
        RuntimePipelineCustomizerRegistry.Instance.Register(new UnchunkedPayloadCustomizer());
        return true;
    }, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Registers the customizer once per process; clients created afterwards get it.</summary>
    public static void EnsureRegistered() => _ = Registration.Value;

    public string UniqueName => "MLTrack.Core.Artifacts.S3.UnchunkedPayload";

    public void Customize(Type type, RuntimePipeline pipeline)
    {
        if (typeof(IAmazonS3).IsAssignableFrom(type))
            pipeline.AddHandlerBefore<Marshaller>(new Handler());
    }

    private sealed class Handler : PipelineHandler
    {
        public override void InvokeSync(IExecutionContext executionContext)
        {
            Apply(executionContext);
            base.InvokeSync(executionContext);
        }

        public override Task<T> InvokeAsync<T>(IExecutionContext executionContext)
        {
            Apply(executionContext);
            return base.InvokeAsync<T>(executionContext);
        }

        private static void Apply(IExecutionContext context)
        {
            if (context.RequestContext.ClientConfig is not UnchunkedS3Config) return;
            switch (context.RequestContext.OriginalRequest)
            {
                case PutObjectRequest put: put.UseChunkEncoding = false; break;
                case UploadPartRequest part: part.UseChunkEncoding = false; break;
            }
        }
    }
}
