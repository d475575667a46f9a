using Akka.Cluster.Sharding;

namespace FlowAkka.Cluster.Queries;

/// <summary>Routes <see cref="IWithQueryId"/> messages to the QueryActor of their id, over a fixed number of shards
/// (never change it on a running cluster: it moves every query to another shard).</summary>
public sealed class QueryMessageExtractor(int maxNumberOfShards = QueryMessageExtractor.DefaultShards)
    : HashCodeMessageExtractor(maxNumberOfShards)
{
    public const int DefaultShards = 100;

    public override string? EntityId(object message) => message switch
    {
        IWithQueryId withId => withId.QueryId,
        _ => null,
    };
}
