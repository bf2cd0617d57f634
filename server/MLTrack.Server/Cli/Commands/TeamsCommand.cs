using System.CommandLine;
using MLTrack.Core.Accounts;
using MLTrack.Server.Cli.Output;

namespace MLTrack.Server.Cli.Commands;

/// <summary>
/// <c>mltrack teams create NAME</c>, <c>mltrack teams add TEAM EMAIL --role viewer|editor|admin</c>,
/// <c>mltrack teams remove TEAM EMAIL</c>, <c>mltrack teams list</c>, <c>mltrack teams members TEAM</c>.
/// </summary>
public static class TeamsCommand
{
    public static Command Create(CliOutput output)
    {
        var cmd = new Command("teams", "Manage teams and their members' roles (on the store given by --store).");

        var name = new Argument<string>("name") { Description = "The team's name." };
        var create = new Command("create", "Create a team.") { name };
        create.SetAction(parse => StoreSession.Run(parse, output, root =>
        {
            var team = root.Accounts().CreateTeam(Principal.Operator(), parse.GetValue(name)!);
            output.Out.WriteLine($"created team {team.Name} ({team.TeamId})");
            return ExitCodes.Ok;
        }));

        var team = new Argument<string>("team") { Description = "The team (name or id)." };
        var email = new Argument<string>("email") { Description = "The user (email or id)." };
        var role = new Option<string>("--role") { Description = "viewer (read), editor (write runs, deploy) or admin (manage members, delete).", Required = true };
        role.AcceptOnlyFromAmong("viewer", "editor", "admin");
        var add = new Command("add", "Add a user to a team, or change their role.") { team, email, role };
        add.SetAction(parse => StoreSession.Run(parse, output, root =>
        {
            var r = Enum.Parse<TeamRole>(parse.GetValue(role)!, ignoreCase: true);
            root.Accounts().SetMember(Principal.Operator(), parse.GetValue(team)!, parse.GetValue(email)!, r);
            output.Out.WriteLine($"{parse.GetValue(email)} is {r.ToString().ToLowerInvariant()} in {parse.GetValue(team)}");
            return ExitCodes.Ok;
        }));

        var removeTeam = new Argument<string>("team") { Description = "The team (name or id)." };
        var removeEmail = new Argument<string>("email") { Description = "The user (email or id)." };
        var remove = new Command("remove", "Remove a user from a team.") { removeTeam, removeEmail };
        remove.SetAction(parse => StoreSession.Run(parse, output, root =>
        {
            var removed = root.Accounts().RemoveMember(Principal.Operator(), parse.GetValue(removeTeam)!, parse.GetValue(removeEmail)!);
            output.Out.WriteLine(removed ? $"removed {parse.GetValue(removeEmail)} from {parse.GetValue(removeTeam)}" : $"{parse.GetValue(removeEmail)} was not in {parse.GetValue(removeTeam)}");
            return ExitCodes.Ok;
        }));

        var list = new Command("list", "List teams.");
        list.SetAction(parse => StoreSession.Run(parse, output, root =>
        {
            var table = new TableWriter(["NAME", "ID", "CREATED"], 0);
            foreach (var t in root.Accounts().ListTeams()) table.AddRow(t.Name, t.TeamId, Format.Time(t.CreatedAt));
            table.Write(output.Out, output.Width);
            return ExitCodes.Ok;
        }));

        var membersOf = new Argument<string>("team") { Description = "The team (name or id)." };
        var members = new Command("members", "List a team's members and their roles.") { membersOf };
        members.SetAction(parse => StoreSession.Run(parse, output, root =>
        {
            var accounts = root.Accounts();
            var emails = accounts.ListUsers().ToDictionary(u => u.UserId, u => u.Email);
            var table = new TableWriter(["EMAIL", "ROLE"], 0);
            foreach (var m in accounts.ListMembers(parse.GetValue(membersOf)!)) table.AddRow(emails.GetValueOrDefault(m.UserId, m.UserId), m.Role.ToString().ToLowerInvariant());
            table.Write(output.Out, output.Width);
            return ExitCodes.Ok;
        }));

        foreach (var c in new[] { create, add, remove, list, members }) cmd.Subcommands.Add(c);
        return cmd;
    }
}
