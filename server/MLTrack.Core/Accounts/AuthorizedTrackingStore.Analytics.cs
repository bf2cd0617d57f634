using MLTrack.Core.Analytics;
using MLTrack.Core.Storage;

namespace MLTrack.Core.Accounts;

/// <summary>Aggregates count only the visible experiments' runs: the scope is cut to them before the store is asked.</summary>
public sealed partial class AuthorizedTrackingStore
{
    public IReadOnlyList<PeriodActivity> AggregateRuns(IReadOnlyList<Period> periods, RunScope scope) =>
        Scoped(scope) is not { } s ? inner.AggregateRuns(periods, scope)
        : s.ExperimentIds!.Count == 0 ? periods.Select(_ => PeriodActivity.None).ToList()
        : inner.AggregateRuns(periods, s);

    public IReadOnlyList<PeriodBest?> BestMetricPerPeriod(IReadOnlyList<Period> periods, RunScope scope, string key, bool higherIsBetter) =>
        Scoped(scope) is not { } s ? inner.BestMetricPerPeriod(periods, scope, key, higherIsBetter)
        : s.ExperimentIds!.Count == 0 ? periods.Select(_ => (PeriodBest?)null).ToList()
        : inner.BestMetricPerPeriod(periods, s, key, higherIsBetter);

    public IReadOnlyList<(string ExperimentId, PeriodActivity Activity, long LastStart)> AggregateRunsByExperiment(long from, long to, RunScope scope) =>
        Scoped(scope) is not { } s ? inner.AggregateRunsByExperiment(from, to, scope)
        : s.ExperimentIds!.Count == 0 ? []
        : inner.AggregateRunsByExperiment(from, to, s);

    public (int Experiments, int Users) CountDistinct(long from, long to, RunScope scope) =>
        Scoped(scope) is not { } s ? inner.CountDistinct(from, to, scope)
        : s.ExperimentIds!.Count == 0 ? (0, 0)
        : inner.CountDistinct(from, to, s);

    public long? FirstRunStart(RunScope scope) =>
        Scoped(scope) is not { } s ? inner.FirstRunStart(scope)
        : s.ExperimentIds!.Count == 0 ? null
        : inner.FirstRunStart(s);

    /// <summary>For a restricted principal, the users of the visible experiments' active runs.</summary>
    public IReadOnlyList<string> ListRunUsers()
    {
        var scope = ScopeExperiments(null);
        if (scope is null) return inner.ListRunUsers();
        return ScopedRuns(scope, details: false, ViewType.ActiveOnly).Select(r => r.User).OfType<string>()
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>The scope cut to the visible experiments; null for an unrestricted principal (ask as given).</summary>
    private RunScope? Scoped(RunScope scope) =>
        ScopeExperiments(scope.ExperimentIds) is { } ids ? scope with { ExperimentIds = ids } : null;
}
