using MLTrack.Core.Metrics;
using MLTrack.Core.Storage;

namespace MLTrack.Core.Analytics;

/// <summary>Time series and heatmaps of run activity, aggregated by the store in SQL over local-time periods.</summary>
public sealed class AnalyticsService(ITrackingStore store, TimeProvider? clock = null)
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    public AnalyticsWindow ResolveWindow(AnalyticsQuery query, string defaultPreset = "30d") =>
        WindowResolver.Resolve(query, _clock.GetUtcNow(), () => store.FirstRunStart(query.Scope), defaultPreset);

    /// <param name="metricKey">Also the best value of this metric per period.</param>
    /// <param name="higherIsBetter">Null: by the key's name (<see cref="MetricDirection"/>).</param>
    public TimeSeries TimeSeries(AnalyticsQuery query, string? metricKey = null, bool? higherIsBetter = null)
    {
        var window = ResolveWindow(query);
        var periods = PeriodCutter.Cut(window);
        var activity = store.AggregateRuns(periods, query.Scope);
        var totals = PeriodActivity.Total(activity, () => store.CountDistinct(window.From, window.To, query.Scope));
        IReadOnlyList<PeriodBest?> best = [];
        bool? higher = null;
        if (!string.IsNullOrWhiteSpace(metricKey))
        {
            higher = higherIsBetter ?? !MetricDirection.LowerIsBetter(metricKey);
            best = store.BestMetricPerPeriod(periods, query.Scope, metricKey, higher.Value);
        }
        return new TimeSeries(window, periods, activity, totals, string.IsNullOrWhiteSpace(metricKey) ? null : metricKey, higher, best);
    }

    /// <summary>Days of the window (default: the last 52 whole weeks and this week so far, Monday first).</summary>
    public Heatmap Heatmap(AnalyticsQuery query)
    {
        var now = _clock.GetUtcNow().ToUnixTimeMilliseconds();
        if (query.From is null && query.To is null && string.IsNullOrWhiteSpace(query.Preset))
        {
            var zone = WindowResolver.FindZone(query.TimeZone);
            var thisWeek = PeriodCutter.Floor(now, zone, Granularity.Week);
            var from = PeriodCutter.LocalToUtc(PeriodCutter.Local(thisWeek, zone).AddDays(-7 * 52), zone);
            query = query with { From = from, To = now };
        }
        var window = WindowResolver.Resolve(query with { Granularity = "day" }, _clock.GetUtcNow(), () => store.FirstRunStart(query.Scope),
            maxPeriods: int.MaxValue);
        var periods = PeriodCutter.Cut(window);
        var activity = store.AggregateRuns(periods, query.Scope);
        var days = new HeatmapDay[periods.Count];
        int total = 0, active = 0, longest = 0, run = 0, maxRuns = 0, maxExperiments = 0;
        for (var i = 0; i < periods.Count; i++)
        {
            var p = periods[i];
            var a = activity[i];
            var local = PeriodCutter.Local(p.Start, window.Zone);
            days[i] = new HeatmapDay(p.Label, ((int)local.DayOfWeek + 6) % 7, p.Start, p.End, a.Started, a.Failed, a.Experiments);
            total += a.Started;
            maxRuns = Math.Max(maxRuns, a.Started);
            maxExperiments = Math.Max(maxExperiments, a.Experiments);
            if (a.Started > 0)
            {
                active++;
                longest = Math.Max(longest, ++run);
            }
            else run = 0;
        }
        var current = CurrentStreak(days);
        var coverage = days.Length == 0 ? 0 : (double)active / days.Length;
        return new Heatmap(window, days, total, active, coverage, longest, current, maxRuns, maxExperiments);
    }

    /// <summary>Active days in a row ending on the last day, or on the day before when the last day has no run yet.</summary>
    private static int CurrentStreak(IReadOnlyList<HeatmapDay> days)
    {
        var i = days.Count - 1;
        if (i >= 0 && days[i].Runs == 0) i--;
        var n = 0;
        for (; i >= 0 && days[i].Runs > 0; i--) n++;
        return n;
    }
}
