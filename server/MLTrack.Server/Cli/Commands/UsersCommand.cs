using System.CommandLine;
using MLTrack.Core.Accounts;
using MLTrack.Server.Cli.Output;

namespace MLTrack.Server.Cli.Commands;

/// <summary><c>mltrack users add EMAIL [--admin] [--name NAME]</c>, <c>mltrack users list [--json]</c>: the operator's view of the server's users.</summary>
public static class UsersCommand
{
    public static Command Create(CliOutput output)
    {
        var cmd = new Command("users", "Manage the team server's users (on the store given by --store).");
        var email = new Argument<string>("email") { Description = "The user's email address (their sign-in name)." };
        var admin = new Option<bool>("--admin") { Description = "A server administrator: sees and manages everything." };
        var name = new Option<string?>("--name") { Description = "Display name (default: the part of the email before '@')." };
        var add = new Command("add", "Add a user.") { email, admin, name };
        add.SetAction(parse => StoreSession.Run(parse, output, root =>
        {
            var user = root.Accounts().AddUser(Principal.Operator(), new NewUser(parse.GetValue(email)!, parse.GetValue(name), parse.GetValue(admin)));
            output.Out.WriteLine($"added {user.Email} ({user.UserId}){(user.IsAdmin ? ", administrator" : "")}");
            return ExitCodes.Ok;
        }));
        var list = new Command("list", "List users.");
        list.Options.Add(GlobalOptions.Json);
        list.SetAction(parse => StoreSession.Run(parse, output, root =>
        {
            var users = root.Accounts().ListUsers();
            if (parse.GetValue(GlobalOptions.Json))
            {
                JsonOutput.Write(output.Out, new { users = users.Select(u => new { user_id = u.UserId, email = u.Email, display_name = u.DisplayName, is_admin = u.IsAdmin, created_at = u.CreatedAt }) });
                return ExitCodes.Ok;
            }
            var table = new TableWriter(["EMAIL", "NAME", "ADMIN", "ID", "ADDED"], 1);
            foreach (var u in users) table.AddRow(u.Email, u.DisplayName, u.IsAdmin ? "yes" : "", u.UserId[..8], Format.Time(u.CreatedAt));
            table.Write(output.Out, output.Width);
            return ExitCodes.Ok;
        }));
        cmd.Subcommands.Add(add);
        cmd.Subcommands.Add(list);
        return cmd;
    }
}
