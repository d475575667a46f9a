// The built-in `actor` palette: `actor system`, `actor hierarchy [-d depth] [-s path]`.
using System.Runtime.CompilerServices;
using Akka.Actor;

namespace FlowAkka.Management.Palettes;

public static class ActorCommands
{
    public const int DefaultDepth = 4;

    public static readonly CommandPalette Palette = new(
        "actor",
        "Actor system introspection",
        new CommandDefinition("system", "Prints the address of the actor system."),
        new CommandDefinition("hierarchy", "Prints the actor hierarchy, one path per line.",
            CommandArgument.Option("depth", $"How many levels below the start to print (default {DefaultDepth})", "-d", "--depth")
                .WithDefaultValues("1", "2", "4", "8"),
            CommandArgument.Option("start", "Local actor path to start from (default: the root)", "-s", "--start")
                .WithDefaultValues("/user", "/system")));

    public static CommandPaletteHandler Handler { get; } =
        CommandPaletteHandler.Create(Palette, Props.Create(() => new ActorCommandHandler()));
}

internal sealed class ActorCommandHandler : CommandHandlerActor
{
    public ActorCommandHandler() : base(ActorCommands.Palette)
    {
        var system = (ExtendedActorSystem)Context.System;
        var timeout = PbmHost.Get(system).Settings.AskTimeout;

        Process("system", _ => Reply(system.Provider.DefaultAddress.ToString()));
        ProcessStream("hierarchy", (c, ct) =>
        {
            var depth = c.IntValue("depth", ActorCommands.DefaultDepth, 1, 64);
            return Hierarchy(system, c.Value("start"), depth, timeout, ct);
        });
    }

    private static async IAsyncEnumerable<string> Hierarchy(
        ExtendedActorSystem system, string? start, int depth, TimeSpan timeout, [EnumeratorCancellation] CancellationToken ct)
    {
        IActorRef root = system.Provider.RootGuardian;
        if (!string.IsNullOrWhiteSpace(start))
        {
            try
            {
                root = await system.ActorSelection(start).ResolveOne(timeout, ct).ConfigureAwait(false);
            }
            catch (ActorNotFoundException)
            {
                throw new CommandArgumentException($"No actor found at '{start}'.");
            }
            catch (Exception e) when (e is ArgumentException or UriFormatException)
            {
                throw new CommandArgumentException($"'{start}' is not a valid actor path.");
            }
        }

        if (root is not ActorRefWithCell)
        {
            // Children of a remote actor are only visible to its own node; walking them remotely needs a
            // round trip per level, so we ask the operator to connect pbm to that node instead.
            throw new CommandArgumentException(
                $"'{start}' is not an actor of this node; connect pbm to that node to see its hierarchy.");
        }

        foreach (var line in Walk(root, depth))
            yield return line;
    }

    private static IEnumerable<string> Walk(IActorRef parent, int depthLeft)
    {
        if (depthLeft == 0 || parent is not ActorRefWithCell withCell)
            yield break;

        // The children container is an immutable snapshot, so reading it from outside the actor is safe.
        foreach (var child in withCell.Children.OrderBy(c => c.Path.Name, StringComparer.Ordinal))
        {
            yield return child.Path.ToStringWithoutAddress();
            foreach (var line in Walk(child, depthLeft - 1))
                yield return line;
        }
    }
}
