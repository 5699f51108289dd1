using System.CommandLine;
using MhaRights.Client;

namespace MhaRights.AdminCli.Infrastructure;

/// <summary>Builds commands the same way everywhere: description, examples for --help, and an async action.</summary>
internal static class CommandKit
{
    public static Command Group(CliContext context, string name, string description, params Command[] subcommands)
    {
        var command = new Command(name, description);
        foreach (var subcommand in subcommands)
        {
            command.Subcommands.Add(subcommand);
        }

        context.AddExamples(command, subcommands.Where(s => context.Examples.ContainsKey(s)).Select(s => context.Examples[s][0]).Take(3).ToArray());
        return command;
    }

    public static Command Leaf(
        CliContext context,
        string name,
        string description,
        string[] examples,
        IEnumerable<Symbol> symbols,
        Func<ParseResult, CancellationToken, Task<int>> action)
    {
        var command = new Command(name, description);
        foreach (var symbol in symbols)
        {
            switch (symbol)
            {
                case Argument argument:
                    command.Arguments.Add(argument);
                    break;
                case Option option:
                    command.Options.Add(option);
                    break;
            }
        }

        command.SetAction(action);
        context.AddExamples(command, examples);
        return command;
    }

    public static Argument<string> Arg(string name, string description) => new(name) { Description = description };

    public static Option<string?> Text(string name, string description, string? helpName = null, bool required = false) =>
        new(name) { Description = description, HelpName = helpName, Required = required };

    public static Option<string> Required(string name, string description, string helpName) =>
        new(name) { Description = description, HelpName = helpName, Required = true };

    public static Option<bool> Flag(string name, string description) => new(name) { Description = description };
}

/// <summary>--hospital/--ward filters and AIP-158 paging (--page-size, --page-token, --all) for list commands.</summary>
internal sealed class ListOptions
{
    public Option<int?> PageSize { get; } = new("--page-size") { Description = "Items per page (server default 50, at most 1000)", HelpName = "n" };

    public Option<string?> PageToken { get; } = new("--page-token") { Description = "Continue from the token a previous page printed on stderr", HelpName = "token" };

    public Option<bool> All { get; } = new("--all") { Description = "Fetch every page" };

    public IEnumerable<Symbol> Symbols => [PageSize, PageToken, All];

    /// <summary>
    /// One page (printing the next page's token on stderr, not stdout, so output stays one document) or, with
    /// --all, every page.
    /// </summary>
    public async Task<IReadOnlyList<T>> FetchAsync<T>(ParseResult parseResult, CliContext context, AsyncPageable<T> pageable, CancellationToken cancellationToken)
    {
        var size = parseResult.GetValue(PageSize);
        if (size is < 0)
        {
            throw CliException.Usage("--page-size must not be negative");
        }

        var token = parseResult.GetValue(PageToken);
        if (parseResult.GetValue(All))
        {
            var all = new List<T>();
            await foreach (var page in pageable.AsPages(token, size ?? 1000).WithCancellation(cancellationToken))
            {
                all.AddRange(page.Values);
            }

            return all;
        }

        await foreach (var page in pageable.AsPages(token, size).WithCancellation(cancellationToken))
        {
            if (page.ContinuationToken is { } next)
            {
                context.Stderr.WriteLine($"More items: add --page-token {next} (or --all).");
            }

            return page.Values;
        }

        return [];
    }
}

/// <summary>Hospital and ward filters shared by the worklists.</summary>
internal sealed class LocationFilter
{
    public Option<string?> Hospital { get; } = new("--hospital") { Description = "Only this hospital (site or trust-local code, exact)", HelpName = "code" };

    public Option<string?> Ward { get; } = new("--ward") { Description = "Only this ward (exact)", HelpName = "code" };

    public IEnumerable<Symbol> Symbols => [Hospital, Ward];
}
