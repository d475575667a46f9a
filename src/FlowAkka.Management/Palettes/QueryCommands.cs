// The `query`, `cache` and `workers` palettes: thin adapters from commands to IQueryAdministration.
using Akka.Actor;

namespace FlowAkka.Management.Palettes;

public static class QueryCommands
{
    /// <summary>FlowKit's query states, offered for Tab completion of `query list --state`.</summary>
    public static readonly string[] QueryStates =
        ["queued", "executing", "completed", "cancelled", "errored", "resetting", "known"];

    public static readonly CommandPalette QueryPalette = new(
        "query",
        "Queries of the query service",
        new CommandDefinition("list", "Lists queries, optionally only those in a state.",
            CommandArgument.Option("state", "Only queries in this state", "--state", "-s").WithDefaultValues(QueryStates)),
        new CommandDefinition("show", "Shows a query: spec, state history, timings, dependencies.",
            new CommandArgument("id", "Query id", ["--id", "-i"], Mandatory: true, Positional: true)),
        new CommandDefinition("cancel", "Cancels a queued or executing query.",
            new CommandArgument("id", "Query id", ["--id", "-i"], Mandatory: true, Positional: true)),
        new CommandDefinition("reset", "Resets a query: drops its cached result so it can run again.",
            new CommandArgument("id", "Query id", ["--id", "-i"], Mandatory: true, Positional: true)));

    public static readonly CommandPalette CachePalette = new(
        "cache",
        "The query result cache",
        new CommandDefinition("show", "Shows cache size, limit and the top entries by score.",
            CommandArgument.Option("top", "How many entries to list (default 10)", "-n", "--top").WithDefaultValues("10", "50")),
        new CommandDefinition("shrink", "Evicts low-score entries until the cache is within its limit.",
            CommandArgument.Flag("dry-run", "Only report what would be evicted", "--dry-run")));

    public static readonly CommandPalette WorkersPalette = new(
        "workers",
        "The database worker pools",
        new CommandDefinition("stats", "Busy, idle and queued work per node."));

    public static IEnumerable<CommandPaletteHandler> Handlers(IQueryAdministration administration) =>
    [
        CommandPaletteHandler.Create(QueryPalette, Props.Create(() => new QueryCommandHandler(administration))),
        CommandPaletteHandler.Create(CachePalette, Props.Create(() => new CacheCommandHandler(administration))),
        CommandPaletteHandler.Create(WorkersPalette, Props.Create(() => new WorkersCommandHandler(administration))),
    ];
}

internal sealed class QueryCommandHandler : CommandHandlerActor
{
    public QueryCommandHandler(IQueryAdministration administration) : base(QueryCommands.QueryPalette)
    {
        ProcessStream("list", (c, ct) => administration.ListQueriesAsync(c.Value("state"), ct));
        ProcessAsync("show", (c, ct) => administration.ShowQueryAsync(c.Value("id")!, ct));
        ProcessAsync("cancel", (c, ct) => administration.CancelQueryAsync(c.Value("id")!, ct));
        ProcessAsync("reset", (c, ct) => administration.ResetQueryAsync(c.Value("id")!, ct));
    }
}

internal sealed class CacheCommandHandler : CommandHandlerActor
{
    public CacheCommandHandler(IQueryAdministration administration) : base(QueryCommands.CachePalette)
    {
        ProcessAsync("show", (c, ct) => administration.ShowCacheAsync(c.IntValue("top", 10, 1, 10_000), ct));
        ProcessAsync("shrink", (c, ct) => administration.ShrinkCacheAsync(c.Flag("dry-run"), ct));
    }
}

internal sealed class WorkersCommandHandler : CommandHandlerActor
{
    public WorkersCommandHandler(IQueryAdministration administration) : base(QueryCommands.WorkersPalette)
    {
        ProcessAsync("stats", (_, ct) => administration.WorkerStatsAsync(ct));
    }
}
