// The built-in `cluster` palette: membership views (Petabridge's line format) and membership changes.
using Akka.Actor;
using Akka.Cluster;

namespace FlowAkka.Management.Palettes;

public static class ClusterCommands
{
    public static readonly CommandPalette Palette = new(
        "cluster",
        "Akka.Cluster membership",
        new CommandDefinition("show", "Lists every member: address | [roles] | status | reachability | app-version."),
        new CommandDefinition("status", "Shows this node's member line."),
        new CommandDefinition("leader", "Prints the current leader's address."),
        new CommandDefinition("join", "Joins this node to the cluster at ADDRESS.",
            CommandArgument.Required("address", "Address of a cluster member, e.g. akka.tcp://sys@host:4053", "-a", "--address")),
        new CommandDefinition("leave", "Gracefully removes a member (this node by default).",
            CommandArgument.Option("address", "Address of the member to remove", "-a", "--address")),
        new CommandDefinition("down", "Marks a member as down.",
            CommandArgument.Required("address", "Address of the member to down", "-a", "--address")),
        new CommandDefinition("down-unreachable", "Downs every currently unreachable member."),
        new CommandDefinition("tail", "Streams membership and reachability events until Ctrl+C."));

    public static CommandPaletteHandler Handler { get; } =
        CommandPaletteHandler.Create(Palette, Props.Create(() => new ClusterCommandHandler()));

    /// <summary>`&lt;address&gt; | [&lt;roles&gt;] | &lt;status&gt; | &lt;"unreachable" or blank&gt; | &lt;app-version&gt;`.</summary>
    public static string MemberLine(Member member, bool unreachable) =>
        $"{member.Address} | [{string.Join(", ", member.Roles.OrderBy(r => r, StringComparer.Ordinal))}] | "
        + $"{member.Status.ToString().ToLowerInvariant()} | {(unreachable ? "unreachable" : "")} | {member.AppVersion}";

    internal static Address ParseAddress(string raw)
    {
        try
        {
            var address = Address.Parse(raw);
            if (address.Host is null || address.Port is null)
                throw new FormatException();
            return address;
        }
        catch (Exception e) when (e is FormatException or UriFormatException or ArgumentException)
        {
            throw new CommandArgumentException($"'{raw}' is not a valid node address; expected e.g. akka.tcp://system@host:port.");
        }
    }
}

internal sealed class ClusterCommandHandler : CommandHandlerActor
{
    private readonly Cluster _cluster = Cluster.Get(Context.System);
    private IActorRef? _tailTo;

    public ClusterCommandHandler() : base(ClusterCommands.Palette)
    {
        Process("show", _ =>
        {
            var state = _cluster.State;
            var unreachable = state.Unreachable.Select(m => m.Address).ToHashSet();
            var members = state.Members.Concat(state.Unreachable).DistinctBy(m => m.Address)
                .OrderBy(m => m.Address, Member.AddressOrdering).ToList();
            var lines = members.Select(m => ClusterCommands.MemberLine(m, unreachable.Contains(m.Address)))
                .Append($"Count: {members.Count} nodes");
            Reply(string.Join(Environment.NewLine, lines));
        });
        Process("status", _ =>
        {
            var self = _cluster.SelfMember;
            Reply(ClusterCommands.MemberLine(self, _cluster.State.Unreachable.Contains(self)));
        });
        Process("leader", _ =>
        {
            var leader = _cluster.State.Leader;
            if (leader is null)
                ReplyError("The cluster has no leader yet (is this node a member?).");
            else
                Reply(leader.ToString());
        });
        Process("join", c =>
        {
            var address = ClusterCommands.ParseAddress(c.Value("address")!);
            _cluster.Join(address);
            Reply($"Joining cluster at {address}");
        });
        Process("leave", c =>
        {
            var address = c.Value("address") is { } raw ? ClusterCommands.ParseAddress(raw) : _cluster.SelfAddress;
            if (!IsMember(address))
            {
                ReplyError($"{address} is not a member of the cluster.");
                return;
            }

            _cluster.Leave(address);
            Reply($"Leaving: {address}");
        });
        Process("down", c =>
        {
            var address = ClusterCommands.ParseAddress(c.Value("address")!);
            if (!IsMember(address))
            {
                ReplyError($"{address} is not a member of the cluster.");
                return;
            }

            _cluster.Down(address);
            Reply($"Downing: {address}");
        });
        Process("down-unreachable", _ =>
        {
            var unreachable = _cluster.State.Unreachable.Select(m => m.Address).OrderBy(a => a, Member.AddressOrdering).ToList();
            foreach (var address in unreachable)
                _cluster.Down(address);
            Reply(unreachable.Count == 0
                ? "No unreachable members."
                : string.Join(Environment.NewLine, unreachable.Select(a => $"Downing: {a}")));
        });
        Process("tail", _ =>
        {
            _tailTo = Sender;
            _cluster.Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents,
                typeof(ClusterEvent.IMemberEvent), typeof(ClusterEvent.IReachabilityEvent), typeof(ClusterEvent.LeaderChanged));
        });
        Receive<ClusterEvent.IMemberEvent>(e =>
            Stream($"member {e.GetType().Name.Replace("Member", "").ToLowerInvariant()} | {ClusterCommands.MemberLine(e.Member, false)}"));
        Receive<ClusterEvent.UnreachableMember>(e => Stream($"unreachable | {e.Member.Address}"));
        Receive<ClusterEvent.ReachableMember>(e => Stream($"reachable | {e.Member.Address}"));
        Receive<ClusterEvent.LeaderChanged>(e => Stream($"leader | {e.Leader?.ToString() ?? "none"}"));
        Receive<ClusterEvent.IReachabilityEvent>(_ => { });
    }

    protected override void PostStop()
    {
        _cluster.Unsubscribe(Self);
        base.PostStop();
    }

    private void Stream(string line) =>
        _tailTo?.Tell(new CommandResponse($"[{DateTime.UtcNow:HH:mm:ss.fff}] {line}", false));

    private bool IsMember(Address address) =>
        _cluster.State.Members.Any(m => m.Address == address) || _cluster.State.Unreachable.Any(m => m.Address == address);
}
