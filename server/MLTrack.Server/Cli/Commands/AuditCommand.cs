using System.CommandLine;
using MLTrack.Core.Accounts;
using MLTrack.Server.Cli.Output;

namespace MLTrack.Server.Cli.Commands;

/// <summary><c>mltrack audit [--user U] [--since 7d|2026-12-01] [--json]</c>: who did what, when, from where; newest first.</summary>
public static class AuditCommand
{
    public static Command Create(CliOutput output)
    {
        var user = new Option<string?>("--user") { Description = "Only what this user did (email or user id)." };
        var since = new Option<string?>("--since") { Description = "Only from this date (2026-12-01) or this long ago (7d, 12h)." };
        var max = new Option<int>("--max") { Description = "At most this many entries (default 1000).", DefaultValueFactory = _ => 1000 };
        var cmd = new Command("audit", "Show the audit log: who created, deleted, restored, deployed, changed roles or revoked tokens.") { user, since, max };
        cmd.Options.Add(GlobalOptions.Json);
        cmd.SetAction(parse => StoreSession.Run(parse, output, root =>
        {
            if (parse.GetValue(max) is < 1 or > 100_000) throw new UsageException($"--max must be 1..100000 (got {parse.GetValue(max)}).");
            var query = new AuditQuery
            {
                Actor = parse.GetValue(user),
                Since = parse.GetValue(since) is { } s ? DurationText.ParseSince(s, "--since", DateTimeOffset.UtcNow) : null,
                MaxResults = parse.GetValue(max),
            };
            var entries = root.Accounts().ListAudit(Principal.Operator(), query);
            if (parse.GetValue(GlobalOptions.Json))
            {
                JsonOutput.Write(output.Out, new
                {
                    entries = entries.Select(e => new { seq = e.Seq, at = e.At, actor_id = e.ActorId, actor = e.ActorEmail, action = e.Action, subject = e.Subject, detail = e.Detail, address = e.Address }),
                });
                return ExitCodes.Ok;
            }
            var table = new TableWriter(["WHEN", "WHO", "ACTION", "SUBJECT", "DETAIL", "FROM"], 4);
            foreach (var e in entries) table.AddRow(Format.Time(e.At), e.ActorEmail, e.Action, e.Subject, e.Detail ?? "", e.Address ?? "");
            table.Write(output.Out, output.Width);
            return ExitCodes.Ok;
        }));
        return cmd;
    }
}
