using System.CommandLine;
using System.Globalization;
using MLTrack.Core.Analytics;
using MLTrack.Core.Reports;
using MLTrack.Core.Reports.Data;
using MLTrack.Core.Storage;

namespace MLTrack.Server.Cli.Commands;

/// <summary>
/// <c>mltrack report --type executive|technical|cost --out FILE</c>: generates a report over a window, writes it to
/// FILE (Markdown: with its PNG charts in "&lt;name&gt;_files/"), and records it so the Reports panel lists it.
/// Progress goes to stderr (a bar on a terminal, plain lines otherwise). Bad input exits 2 with the reason.
/// </summary>
public static class ReportCommand
{
    public static Command Create(CliOutput output)
    {
        var type = new Option<string?>("--type") { Description = "executive, technical or cost (required)." };
        var from = new Option<string?>("--from")
        {
            Description = "Start (inclusive): a date (2026-01-31), a local date and time (2026-01-31T09:30), an ISO time with offset, or Unix ms.",
        };
        var to = new Option<string?>("--to")
        {
            Description = "End: a date includes that whole day; a date and time or Unix ms is exclusive. Default: now.",
        };
        var preset = new Option<string?>("--preset") { Description = "When --from/--to are absent: 24h, 7d, 30d, 90d, ytd or all (default all)." };
        var experiment = new Option<string?>("--experiment") { Description = "Only this experiment (name or id)." };
        var format = new Option<string?>("--format") { Description = "md or html (default: from the --out extension, else html)." };
        var outFile = new Option<string?>("--out") { Description = "The file to write (required)." };
        var zone = new Option<string?>("--time-zone") { Description = "IANA time zone for dates and periods (default: local)." };
        var cpu = new Option<double?>("--cpu-hour-usd") { Description = "Price of a CPU hour in USD (default: your preferences, 0.047)." };
        var gpu = new Option<double?>("--gpu-hour-usd") { Description = "Price of a GPU hour in USD (default: your preferences, 1.10)." };
        var cmd = new Command("report", "Write an executive, technical or cost report (Markdown or HTML) over a date range.");
        foreach (var o in new Option[] { type, from, to, preset, experiment, format, outFile, zone, cpu, gpu }) cmd.Options.Add(o);
        cmd.SetAction(parse => StoreSession.Run(parse, output, root =>
        {
            var store = root.Store;
            var request = Request(parse.GetValue(type), parse.GetValue(from), parse.GetValue(to), parse.GetValue(preset), parse.GetValue(zone),
                parse.GetValue(cpu), parse.GetValue(gpu));
            var path = parse.GetValue(outFile);
            if (string.IsNullOrWhiteSpace(path)) throw new UsageException("--out FILE is required (e.g. --out report.html).");
            var chosen = ChooseFormat(parse.GetValue(format), path);
            if (parse.GetValue(experiment) is { } e && !string.IsNullOrWhiteSpace(e))
            {
                try
                {
                    request = request with { Experiment = ReportDataCollector.ResolveExperiment(store, e).ExperimentId };
                }
                catch (StoreException x) when (x.Code == StoreErrorCode.ResourceDoesNotExist)
                {
                    throw new UsageException($"Unknown experiment '{e}': give an experiment name or id (see `mltrack experiments`).");
                }
            }
            var service = root.Reports();
            ReportRecord record;
            using (var progress = new ProgressWriter(output.Error))
            {
                try
                {
                    record = service.Generate(request, progress);
                }
                catch (ArgumentException x)
                {
                    throw new UsageException(x.Message);
                }
                progress.Report(new ReportProgress("Writing " + Path.GetFileName(path), 1));
            }
            var files = service.Export(record.ReportId, chosen, path);
            var charts = files.Count > 1 ? $" and {files.Count - 1} chart{(files.Count == 2 ? "" : "s")} in {Path.GetFileName(Path.GetDirectoryName(files[1]))}/" : "";
            output.Out.WriteLine($"Wrote {files[0]}{charts}");
            output.Out.WriteLine($"{record.Title}; {record.Insights} insight{(record.Insights == 1 ? "" : "s")}; report {record.ReportId}");
            return ExitCodes.Ok;
        }));
        return cmd;
    }

    /// <exception cref="UsageException">A bad type, date, zone or price.</exception>
    public static ReportRequest Request(string? type, string? from, string? to, string? preset, string? zone, double? cpu, double? gpu)
    {
        if (string.IsNullOrWhiteSpace(type)) throw new UsageException("--type is required: executive, technical or cost.");
        try
        {
            var tz = WindowResolver.FindZone(zone);
            var start = from is null ? (long?)null : ParseTime(from, tz, endOfDay: false, "--from");
            var end = to is null ? (long?)null : ParseTime(to, tz, endOfDay: true, "--to");
            if (start > end)
                throw new UsageException($"The range starts after it ends: --from {from} is later than --to {to}. Give a start before the end.");
            return new ReportRequest
            {
                Type = ReportTypes.Parse(type),
                From = start,
                To = end,
                Preset = from is null && to is null ? preset ?? "all" : null,
                TimeZone = zone,
                CpuHourUsd = cpu,
                GpuHourUsd = gpu,
            };
        }
        catch (ArgumentException e)
        {
            throw new UsageException(e.Message);
        }
    }

    /// <summary>
    /// Unix ms; an ISO time with an offset or Z (absolute); a local date and time; or a date (its midnight, or the
    /// next midnight for an end, so "--to 2026-01-31" includes the 31st).
    /// </summary>
    public static long ParseTime(string text, TimeZoneInfo zone, bool endOfDay, string option)
    {
        var s = text.Trim();
        var inv = CultureInfo.InvariantCulture;
        if (s.Length > 0 && s.All(char.IsAsciiDigit) && s.Length >= 9 && long.TryParse(s, NumberStyles.None, inv, out var ms)) return ms;
        if (DateTime.TryParseExact(s, "yyyy-MM-dd", inv, DateTimeStyles.None, out var date))
            return PeriodCutter.LocalToUtc(endOfDay ? date.AddDays(1) : date, zone);
        string[] local = ["yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd HH:mm", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss.FFF"];
        if (DateTime.TryParseExact(s, local, inv, DateTimeStyles.None, out var time)) return PeriodCutter.LocalToUtc(time, zone);
        if ((s.EndsWith('Z') || s.LastIndexOfAny(['+', '-']) > 10) &&
            DateTimeOffset.TryParse(s, inv, DateTimeStyles.None, out var absolute))
            return absolute.ToUnixTimeMilliseconds();
        throw new UsageException($"{option} '{text}' is not a date: use 2026-01-31, 2026-01-31T09:30, 2026-01-31T09:30:00Z or Unix milliseconds.");
    }

    public static ReportFormat ChooseFormat(string? format, string path)
    {
        try
        {
            return string.IsNullOrWhiteSpace(format) ? ReportFormats.FromExtension(path) ?? ReportFormat.Html : ReportFormats.Parse(format);
        }
        catch (ArgumentException e)
        {
            throw new UsageException(e.Message);
        }
    }

    /// <summary>Stages on stderr, synchronously: a redrawn bar on a terminal, one line per stage otherwise.</summary>
    private sealed class ProgressWriter(TextWriter error) : IProgress<ReportProgress>, IDisposable
    {
        private const int BarWidth = 24;
        private readonly bool _terminal = ReferenceEquals(error, Console.Error) && !Console.IsErrorRedirected;
        private string? _lastStage;
        private int _lastLength;

        public void Report(ReportProgress value)
        {
            if (_terminal)
            {
                var done = (int)Math.Round(Math.Clamp(value.Fraction, 0, 1) * BarWidth);
                var line = $"\r[{new string('#', done)}{new string('.', BarWidth - done)}] {value.Fraction * 100,3:0}% {value.Stage}";
                error.Write(line.PadRight(Math.Max(line.Length, _lastLength)));
                _lastLength = line.Length;
                return;
            }
            // "Reading experiments (3/20)" and "(4/20)" are one stage for a log.
            var stage = value.Stage.Split(" (")[0];
            if (stage == _lastStage) return;
            _lastStage = stage;
            error.WriteLine($"mltrack report: {stage}...");
        }

        public void Dispose()
        {
            if (_terminal && _lastLength > 0) error.WriteLine();
        }
    }
}
