// The built-in `cluster-sharding` palette, built on the sharding introspection messages (§4.8 of the Akka brief).
using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Sharding;

namespace FlowAkka.Management.Palettes;

public static class ClusterShardingCommands
{
    public static readonly CommandPalette Palette = new(
        "cluster-sharding",
        "Akka.Cluster.Sharding regions, shards and entities",
        new CommandDefinition("regions", "Lists the shard regions (and proxies) started on this node."),
        new CommandDefinition("region-stats", "Shards and entities per member for a region type, cluster-wide.",
            CommandArgument.Required("region", "Shard region type name", "-r", "--region")),
        new CommandDefinition("shard-stats", "Shards and entity counts of a region type on this node.",
            CommandArgument.Required("region", "Shard region type name", "-r", "--region")),
        new CommandDefinition("locate", "Shows which shard and node host an entity, and whether it is alive.",
            CommandArgument.Required("region", "Shard region type name", "-r", "--region"),
            CommandArgument.Required("entity", "Entity id", "-i", "--id")));

    public static CommandPaletteHandler Handler { get; } =
        CommandPaletteHandler.Create(Palette, Props.Create(() => new ClusterShardingCommandHandler()));
}

internal sealed class ClusterShardingCommandHandler : CommandHandlerActor
{
    public ClusterShardingCommandHandler() : base(ClusterShardingCommands.Palette)
    {
        var system = Context.System;
        var sharding = ClusterSharding.Get(system);
        var cluster = Cluster.Get(system);
        var timeout = PbmHost.Get(system).Settings.AskTimeout;

        Process("regions", _ =>
        {
            var names = sharding.ShardTypeNames.OrderBy(n => n, StringComparer.Ordinal).ToList();
            Reply(names.Count == 0 ? "No shard regions are started on this node." : string.Join(Environment.NewLine, names));
        });

        ProcessAsync("region-stats", async (c, ct) =>
        {
            var typeName = c.Value("region")!;
            var region = Region(sharding, typeName);
            var stats = await region.Ask<ClusterShardingStats>(new GetClusterShardingStats(timeout), timeout + timeout, ct)
                .ConfigureAwait(false);
            if (stats.Regions.Count == 0)
                return CommandResult.Failed($"No statistics for [{typeName}] within {timeout.TotalSeconds:0.#}s (regions unreachable?).");

            var coordinator = await CoordinatorAddress(system, cluster, typeName, timeout, ct).ConfigureAwait(false);
            var members = cluster.State.Members.ToDictionary(m => m.Address);
            var unreachable = cluster.State.Unreachable.Select(m => m.Address).ToHashSet();
            var lines = stats.Regions.OrderBy(r => r.Key, Member.AddressOrdering).Select(r =>
            {
                // Our own region reports itself with the local (host-less) address.
                var address = r.Key.HasLocalScope ? cluster.SelfAddress : r.Key;
                var head = members.TryGetValue(address, out var member)
                    ? ClusterCommands.MemberLine(member, unreachable.Contains(address))
                    : address.ToString();
                var marker = address == coordinator ? $" [coordinator]({typeName})" : "";
                return $"{head}{marker} | shards: {r.Value.Stats.Count} | entities: {r.Value.Stats.Values.Sum()}";
            });
            return CommandResult.Ok(lines);
        });

        ProcessAsync("shard-stats", async (c, ct) =>
        {
            var typeName = c.Value("region")!;
            var state = await Region(sharding, typeName).Ask<CurrentShardRegionState>(GetShardRegionState.Instance, timeout, ct)
                .ConfigureAwait(false);
            var shards = state.Shards.OrderBy(s => s.ShardId, StringComparer.Ordinal).ToList();
            var lines = shards.Select(s => $"shard {s.ShardId} | entities: {s.EntityIds.Count}")
                .Append($"Total: {shards.Count} shards, {shards.Sum(s => s.EntityIds.Count)} entities on {cluster.SelfAddress}");
            return CommandResult.Ok(lines);
        });

        ProcessAsync("locate", async (c, ct) =>
        {
            var typeName = c.Value("region")!;
            var entityId = c.Value("entity")!;
            var location = await Region(sharding, typeName).Ask<EntityLocation>(new GetEntityLocation(entityId, timeout), timeout + timeout, ct)
                .ConfigureAwait(false);
            if (string.IsNullOrEmpty(location.ShardId))
                return CommandResult.Failed($"[{typeName}] cannot map entity '{entityId}' to a shard.");
            var region = location.ShardRegion.HasLocalScope ? cluster.SelfAddress : location.ShardRegion;
            var alive = location.EntityRef.HasValue ? location.EntityRef.Value.Path.ToString() : "not running";
            return CommandResult.Ok($"entity {location.EntityId} | shard {location.ShardId} | region {region} | {alive}");
        });
    }

    private static IActorRef Region(ClusterSharding sharding, string typeName)
    {
        try
        {
            return sharding.ShardRegion(typeName);
        }
        catch (ArgumentException)
        {
            throw new CommandArgumentException(
                $"Shard region [{typeName}] is not started on this node. Use `cluster-sharding regions` to list them.");
        }
    }

    // The coordinator is a cluster singleton; asking each member's singleton path finds where it actually runs.
    private static async Task<Address?> CoordinatorAddress(
        ActorSystem system, Cluster cluster, string typeName, TimeSpan timeout, CancellationToken ct)
    {
        var path = $"/system/sharding/{Uri.EscapeDataString(typeName)}Coordinator/singleton/coordinator";
        var probes = cluster.State.Members.Where(m => m.Status == MemberStatus.Up).Select(async m =>
        {
            try
            {
                var identity = await system.ActorSelection($"{m.Address}{path}")
                    .Ask<ActorIdentity>(new Identify(m.Address), timeout, ct).ConfigureAwait(false);
                return identity.Subject is null ? null : m.Address;
            }
            catch (AskTimeoutException)
            {
                return null;
            }
        });
        var found = await Task.WhenAll(probes).ConfigureAwait(false);
        return found.FirstOrDefault(a => a is not null);
    }
}
