using System.CommandLine;
using MhaRights.AdminCli.Infrastructure;
using MhaRights.Contracts.V1;

namespace MhaRights.AdminCli.Commands;

/// <summary><c>mharights keys ...</c>: API key administration (admin role).</summary>
internal static class KeyCommands
{
    private static readonly IReadOnlyList<Column<ApiKey>> Columns =
    [
        new("Name", k => k.Name),
        new("Display name", k => k.DisplayName),
        new("Role", k => k.Role),
        new("State", k => ProtoEnums.Display(k.State)),
        new("Scope", Scope),
        new("Prefix", k => k.Prefix),
        new("Expires (London)", k => TimeText.Format(k.ExpireTime)),
        new("Created (London)", k => TimeText.Format(k.CreateTime)),
        new("Revoked (London)", k => TimeText.Format(k.RevokeTime)),
    ];

    public static Command Build(CliContext context) => CommandKit.Group(
        context,
        "keys",
        "API keys (admin role): create, list, revoke",
        Create(context),
        List(context),
        Revoke(context));

    private static Command Create(CliContext context)
    {
        var name = CommandKit.Required("--name", "Who or what holds the key (1-200 characters)", "text");
        var role = CommandKit.Required("--role", "epr-integration, clinician, mha-office, auditor or admin", "role");
        var expires = CommandKit.Text("--expires", "When it stops working: a date means the end of that day, London time (or a date and time; at most 2 years ahead; default 1 year)", "date");
        var sites = new Option<string[]>("--site")
        {
            Description = "An ODS site code the key may reach (repeat for more sites); patients are in reach through their episodes' hospital",
            HelpName = "ods",
            AllowMultipleArgumentsPerToken = false,
        };
        var trustWide = CommandKit.Flag("--trust-wide", "Every site of the trust (required for admin keys; reports, audit and imports need it)");
        var namedUser = CommandKit.Flag("--may-act-for-named-user", "The key may name the clinician it acts for in x-mharights-display-name (EPR integrations)");
        var identifiable = CommandKit.Flag("--identifiable-access", "An auditor key that sees NHS numbers and names instead of pseudonyms");
        return CommandKit.Leaf(
            context,
            "create",
            "Create an API key bound to sites (or trust-wide); the secret is printed once, on stdout",
            [
                "mharights keys create --name \"MHA office - J Smith\" --role mha-office --site RXM01 --expires 2027-03-01 > jsmith.key",
                "mharights keys create --name \"RiO integration\" --role epr-integration --trust-wide --may-act-for-named-user -o json",
                "mharights keys create --name \"CQC review 2027\" --role auditor --trust-wide --expires 2027-02-28",
            ],
            [name, role, expires, sites, trustWide, namedUser, identifiable],
            async (parseResult, cancellationToken) =>
            {
                var expiry = parseResult.GetValue(expires) is { } text
                    ? TimeText.ParseExpiry(text, "--expires", context.Clock)
                    : context.Clock.GetUtcNow().AddYears(1);
                var client = context.Client(parseResult);
                var response = await client.ApiKeys.CreateApiKeyAsync(
                    new CreateApiKeyRequest
                    {
                        ApiKey = new ApiKey
                        {
                            DisplayName = parseResult.GetRequiredValue(name),
                            Role = parseResult.GetRequiredValue(role),
                            ExpireTime = TimeText.ToTimestamp(expiry),
                            Sites = { (parseResult.GetValue(sites) ?? []).Select(s => s.Trim()) },
                            TrustWide = parseResult.GetValue(trustWide),
                            MayActForNamedUser = parseResult.GetValue(namedUser),
                            IdentifiableAccess = parseResult.GetValue(identifiable),
                        },
                    },
                    cancellationToken);
                var output = context.Output(parseResult);
                context.Stderr.WriteLine($"Created {response.ApiKey.Name} ({response.ApiKey.Role}, {Scope(response.ApiKey)}), expires {TimeText.Format(response.ApiKey.ExpireTime)}. The secret is shown only now: store it in a file only its holder can read.");
                switch (output.Format)
                {
                    case OutputFormat.Json:
                        output.WriteJson(OutputWriter.ProtoJson(response));
                        break;
                    case OutputFormat.Csv:
                        output.WriteCsv(["name", "role", "secret"], [[response.ApiKey.Name, response.ApiKey.Role, response.Secret]]);
                        break;
                    default:
                        // Only the secret on stdout, so `> file.key` gives a ready key file.
                        output.WriteText(response.Secret);
                        break;
                }

                return ExitCodes.Ok;
            });
    }

    private static string Scope(ApiKey key) => key.TrustWide ? "trust-wide" : "sites " + string.Join(' ', key.Sites);

    private static Command List(CliContext context)
    {
        var list = new ListOptions();
        return CommandKit.Leaf(
            context,
            "list",
            "List API keys (never their secrets)",
            ["mharights keys list", "mharights keys list --all -o json"],
            [.. list.Symbols],
            async (parseResult, cancellationToken) =>
            {
                var client = context.Client(parseResult);
                var items = await list.FetchAsync(parseResult, context, client.ApiKeys.ListApiKeysAsync(new ListApiKeysRequest(), cancellationToken), cancellationToken);
                context.Output(parseResult).WriteList(items, Columns, k => OutputWriter.ProtoJson(k), context.Stderr, "No API keys.");
                return ExitCodes.Ok;
            });
    }

    private static Command Revoke(CliContext context)
    {
        var key = CommandKit.Arg("key", "The key, apiKeys/... (or just its id)");
        var yes = CommandKit.Flag("--yes", "Do not ask for confirmation");
        return CommandKit.Leaf(
            context,
            "revoke",
            "Revoke an API key; calls with it fail from now on",
            ["mharights keys revoke apiKeys/k-123 --yes"],
            [key, yes],
            async (parseResult, cancellationToken) =>
            {
                var value = parseResult.GetRequiredValue(key).Trim();
                var name = value.StartsWith("apiKeys/", StringComparison.Ordinal) ? value : "apiKeys/" + value;
                context.Confirm($"Revoke {name}? Anything using it stops working.", parseResult.GetValue(yes));
                var client = context.Client(parseResult);
                var revoked = await client.ApiKeys.RevokeApiKeyAsync(new RevokeApiKeyRequest { Name = name }, cancellationToken);
                context.Output(parseResult).WriteItem(revoked, Columns, k => OutputWriter.ProtoJson(k));
                return ExitCodes.Ok;
            });
    }
}
