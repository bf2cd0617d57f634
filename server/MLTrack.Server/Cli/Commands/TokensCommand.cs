using System.CommandLine;
using MLTrack.Core.Accounts;
using MLTrack.Server.Cli.Output;

namespace MLTrack.Server.Cli.Commands;

/// <summary>
/// <c>mltrack tokens create --user EMAIL [--name NAME] [--expires 30d]</c> (prints the secret, once),
/// <c>mltrack tokens list [--user EMAIL]</c>, <c>mltrack tokens revoke ID</c>: personal access tokens, usable as
/// <c>MLFLOW_TRACKING_TOKEN</c> so unchanged MLflow code logs as that person.
/// </summary>
public static class TokensCommand
{
    public static Command Create(CliOutput output)
    {
        var cmd = new Command("tokens", "Manage personal access tokens (on the store given by --store).");

        var user = new Option<string>("--user") { Description = "Whose token (email or user id).", Required = true };
        var name = new Option<string>("--name") { Description = "What the token is for (default: cli).", DefaultValueFactory = _ => "cli" };
        var expires = new Option<string>("--expires") { Description = "Lifetime: 90m, 12h, 30d, 2w (default 30d, at most 366d).", DefaultValueFactory = _ => "30d" };
        var create = new Command("create", "Create a token and print its secret (shown only this once).") { user, name, expires };
        create.SetAction(parse => StoreSession.Run(parse, output, root =>
        {
            var lifetime = DurationText.Parse(parse.GetValue(expires)!, "--expires");
            var made = root.Accounts().CreatePersonalToken(Principal.Operator(), parse.GetValue(user)!, parse.GetValue(name)!, lifetime);
            output.Out.WriteLine(made.Secret);
            output.Error.WriteLine($"mltrack: token {made.Token.TokenId} \"{made.Token.Name}\" expires {Format.Time(made.Token.ExpiresAt ?? 0)}; this is the only time it is shown.");
            return ExitCodes.Ok;
        }));

        var of = new Option<string?>("--user") { Description = "Only this user's tokens (email or user id)." };
        var list = new Command("list", "List tokens (never their secrets).") { of };
        list.Options.Add(GlobalOptions.Json);
        list.SetAction(parse => StoreSession.Run(parse, output, root =>
        {
            var accounts = root.Accounts();
            var tokens = accounts.ListTokens(Principal.Operator(), parse.GetValue(of));
            var emails = accounts.ListUsers().ToDictionary(u => u.UserId, u => u.Email);
            var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            if (parse.GetValue(GlobalOptions.Json))
            {
                JsonOutput.Write(output.Out, new
                {
                    tokens = tokens.Select(t => new
                    {
                        token_id = t.TokenId,
                        user = emails.GetValueOrDefault(t.UserId, t.UserId),
                        name = t.Name,
                        created_at = t.CreatedAt,
                        expires_at = t.ExpiresAt,
                        revoked_at = t.RevokedAt,
                        active = t.IsActive(now),
                    }),
                });
                return ExitCodes.Ok;
            }
            var table = new TableWriter(["ID", "USER", "NAME", "CREATED", "EXPIRES", "STATE"], 2);
            foreach (var t in tokens)
                table.AddRow(t.TokenId, emails.GetValueOrDefault(t.UserId, t.UserId), t.Name, Format.Time(t.CreatedAt), t.ExpiresAt is { } e ? Format.Time(e) : "never",
                    t.RevokedAt is not null ? "revoked" : t.IsActive(now) ? "active" : "expired");
            table.Write(output.Out, output.Width);
            return ExitCodes.Ok;
        }));

        var id = new Argument<string>("id") { Description = "The token's id (from tokens list)." };
        var revoke = new Command("revoke", "Revoke a token: refused at once on every replica.") { id };
        revoke.SetAction(parse => StoreSession.Run(parse, output, root =>
        {
            var tokenId = parse.GetValue(id)!;
            var revoked = root.Accounts().RevokeToken(Principal.Operator(), tokenId);
            output.Out.WriteLine(revoked ? $"revoked {tokenId}" : $"{tokenId} was already revoked");
            return ExitCodes.Ok;
        }));

        cmd.Subcommands.Add(create);
        cmd.Subcommands.Add(list);
        cmd.Subcommands.Add(revoke);
        return cmd;
    }
}
