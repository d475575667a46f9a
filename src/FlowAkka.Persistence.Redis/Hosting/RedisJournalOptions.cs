// Akka.Hosting options of the Redis journal; Identifier "redis" makes it akka.persistence.journal.redis.
using System.Text;
using Akka.Hosting;
using Akka.Persistence.Hosting;
using AkkaConfig = Akka.Configuration.Config;

namespace FlowAkka.Persistence.Redis.Hosting;

public sealed class RedisJournalOptions : JournalOptions
{
    public RedisJournalOptions() : this(true)
    {
    }

    public RedisJournalOptions(bool isDefaultPlugin, string identifier = "redis") : base(isDefaultPlugin)
    {
        Identifier = identifier;
    }

    public override string Identifier { get; set; }

    /// <summary>StackExchange.Redis configuration string, e.g. "127.0.0.1:6379,password=...".</summary>
    public string ConfigurationString { get; set; } = "";

    /// <summary>Prepended to every key. Don't change it on a store holding data.</summary>
    public string? KeyPrefix { get; set; }

    /// <summary>Database number (ignored on Redis Cluster).</summary>
    public int? Database { get; set; }

    /// <summary>Use defaultDatabase=N from the configuration string instead of <see cref="Database"/>.</summary>
    public bool? UseDatabaseFromConnectionString { get; set; }

    /// <summary>Upper bound of each Redis call.</summary>
    public TimeSpan? CallTimeout { get; set; }

    protected override AkkaConfig InternalDefaultConfig { get; } = RedisPersistence.DefaultJournalConfig();

    protected override StringBuilder Build(StringBuilder sb)
    {
        RedisHoconKeys.Append(sb, ConfigurationString, KeyPrefix, Database, UseDatabaseFromConnectionString, CallTimeout);
        return base.Build(sb);
    }
}
