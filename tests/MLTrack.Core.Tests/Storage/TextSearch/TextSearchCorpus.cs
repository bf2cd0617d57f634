using MLTrack.Core.Artifacts;
using MLTrack.Core.Metrics;
using MLTrack.Core.Runs;
using MLTrack.Core.Search.Text;
using MLTrack.Core.Storage;

namespace MLTrack.Core.Tests.Storage.TextSearch;

/// <summary>
/// The text search suites' corpus: two experiments, runs of different ages sharing param keys, metric keys and
/// artifact paths, so that ranking, recency, collapsing and typo tolerance all have something to decide.
/// </summary>
internal sealed class TextSearchCorpus
{
    public const long Day = 86_400_000;

    public required Run Resnet { get; init; }
    public required Run Bert { get; init; }
    public required Run Unnamed { get; init; }
    public required string VisionId { get; init; }

    /// <summary>The queries whose hit order both stores must agree on.</summary>
    public static readonly string[] Queries =
    [
        "optimizer", "val", "val_acc", "resn", "resnet", "bert", "adam", "alice", "vision", "checkpoints", "best model",
        "loss", "lr 0", "resnte", "optimzer", "visoin", "base",
    ];

    public static TextSearchCorpus Fill(ITrackingStore store)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var vision = store.CreateExperiment("vision-baselines");
        var nlp = store.CreateExperiment("nlp");
        var resnet = store.CreateRun(new NewRun { ExperimentId = vision.ExperimentId, Name = "resnet50-finetune", StartTime = now - 1000 });
        store.LogBatch(resnet.RunId, new RunBatch
        {
            Params = [new("optimizer", "adamw"), new("learning_rate", "0.001"), new("lr_schedule", "cosine")],
            Tags = [new("owner", "alice")],
            Metrics = [new MetricPoint("val_accuracy", 0.91, 1, 1), new MetricPoint("val_loss", 0.3, 1, 1), new MetricPoint("train_loss", 0.2, 1, 1)],
        });
        store.RecordArtifact(resnet.RunId, new ArtifactInfo("checkpoints/best_model.pt", 100, new string('a', 64)));
        store.RecordArtifact(resnet.RunId, new ArtifactInfo("plots/loss_curve.png", 10, new string('b', 64)));

        var bert = store.CreateRun(new NewRun { ExperimentId = nlp.ExperimentId, Name = "bert-base", StartTime = now - 90 * Day });
        store.LogBatch(bert.RunId, new RunBatch
        {
            Params = [new("optimizer", "sgd"), new("learning_rate", "0.01")],
            Tags = [new("owner", "bob")],
            Metrics = [new MetricPoint("val_accuracy", 0.8, 1, 1), new MetricPoint("val_loss", 0.5, 1, 1)],
        });
        store.RecordArtifact(bert.RunId, new ArtifactInfo("checkpoints/best_model.pt", 100, new string('c', 64)));

        var unnamed = store.CreateRun(new NewRun { ExperimentId = vision.ExperimentId, StartTime = now - 7 * Day });
        store.LogBatch(unnamed.RunId, new RunBatch
        {
            Params = [new("optimizer", "adam"), new("base_model", "resnet18")],
            Metrics = [new MetricPoint("val_loss", 0.4, 1, 1)],
        });
        return new TextSearchCorpus { Resnet = resnet, Bert = bert, Unnamed = unnamed, VisionId = vision.ExperimentId };
    }

    /// <summary>A hit as both stores must agree on it: run ids differ between stores, so runs are named by their role.</summary>
    public string Describe(SearchHit h)
    {
        var run = h.RunId == Resnet.RunId ? "resnet" : h.RunId == Bert.RunId ? "bert" : h.RunId == Unnamed.RunId ? "unnamed" : h.RunId ?? "-";
        var title = h.RunId is { } id && h.Title.Contains(id[..8], StringComparison.Ordinal) ? h.Title.Replace(id[..8], "<id>", StringComparison.Ordinal) : h.Title;
        return $"{h.Kind} {title} [{run}]{(h.Fuzzy ? " ~" : "")}";
    }
}
