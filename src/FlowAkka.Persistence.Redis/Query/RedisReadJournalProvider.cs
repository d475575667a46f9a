using Akka.Actor;
using Akka.Persistence.Query;
using AkkaConfig = Akka.Configuration.Config;

namespace FlowAkka.Persistence.Redis.Query;

/// <summary>Registered as <c>akka.persistence.query.journal.redis.class</c>; PersistenceQuery creates one per id.</summary>
public sealed class RedisReadJournalProvider(ExtendedActorSystem system, AkkaConfig config) : IReadJournalProvider
{
    public IReadJournal GetReadJournal() => new RedisReadJournal(system, config);
}
