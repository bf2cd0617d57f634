using MLTrack.Core.Artifacts;
using MLTrack.Core.Lineage;
using MLTrack.Core.Metrics;
using MLTrack.Core.Search.Text;
using MLTrack.Core.Storage;

namespace MLTrack.Core.Accounts;

/// <summary>Metric reads, lineage, artifact records and text search: each run's as its experiment allows.</summary>
public sealed partial class AuthorizedTrackingStore
{
    public IReadOnlyList<MetricSummary> GetMetricSummaries(string runId)
    {
        SeeRun(runId);
        return inner.GetMetricSummaries(runId);
    }

    public IReadOnlyList<SeriesPoint> GetMetricHistory(string runId, string key, long? fromStep = null, long? toStep = null)
    {
        SeeRun(runId);
        return inner.GetMetricHistory(runId, key, fromStep, toStep);
    }

    public IReadOnlyList<MetricBucket> GetMetricBuckets(string runId, string key, int buckets, long? fromStep = null, long? toStep = null)
    {
        SeeRun(runId);
        return inner.GetMetricBuckets(runId, key, buckets, fromStep, toStep);
    }

    /// <summary>For a restricted principal, the keys of the visible experiments' runs (one scan of their summaries).</summary>
    public IReadOnlyList<string> ListMetricKeys()
    {
        var scope = ScopeExperiments(null);
        if (scope is null) return inner.ListMetricKeys();
        var keys = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var run in ScopedRuns(scope, details: true))
            foreach (var m in run.Metrics) keys.Add(m.Key);
        return [.. keys];
    }

    /// <summary>Every run (all lifecycle stages) of the given experiments, page by page.</summary>
    private IEnumerable<Runs.Run> ScopedRuns(IReadOnlyList<string> experimentIds, bool details, ViewType view = ViewType.All)
    {
        if (experimentIds.Count == 0) yield break;
        string? token = null;
        do
        {
            var page = inner.SearchRuns(new RunQuery
            {
                ExperimentIds = experimentIds,
                ViewType = view,
                IncludeDetails = details,
                MaxResults = 1000,
                PageToken = token,
            });
            foreach (var run in page.Runs) yield return run;
            token = page.NextPageToken;
        } while (token is not null);
    }

    public void RecordRunFiles(string runId, IReadOnlyList<RunFile> files)
    {
        WriteRun(runId, "Recording files of");
        inner.RecordRunFiles(runId, files);
    }

    public IReadOnlyList<RunFile> ListRunFiles(string runId)
    {
        SeeRun(runId);
        return inner.ListRunFiles(runId);
    }

    public IReadOnlyList<(string RunId, RunFile File)> FindRunsByFile(string sha256)
    {
        var policy = FullPolicy();
        return inner.FindRunsByFile(sha256).Where(x => CanSeeRun(policy, x.RunId)).ToList();
    }

    public void RecordArtifact(string runId, ArtifactInfo artifact)
    {
        WriteRun(runId, "Recording an artifact of");
        inner.RecordArtifact(runId, artifact);
    }

    public IReadOnlyList<ArtifactInfo> ListArtifacts(string runId)
    {
        SeeRun(runId);
        return inner.ListArtifacts(runId);
    }

    /// <summary>
    /// The store ranks across everything and has no experiment filter, so a restricted principal's hits are cut to the
    /// visible ones from the most the store gives (200), then to <paramref name="limit"/>.
    /// </summary>
    public IReadOnlyList<SearchHit> SearchText(string query, int limit)
    {
        var policy = FullPolicy();
        if (policy.Principal.IsUnrestricted) return inner.SearchText(query, limit);
        if (limit is < 1 or > 200) return inner.SearchText(query, limit); // the store's own refusal of the limit
        return inner.SearchText(query, 200)
            .Where(h => h.ExperimentId is { } e ? policy.CanSee(e) : h.RunId is { } r && CanSeeRun(policy, r))
            .Take(limit).ToList();
    }
}
