// Akka.Hosting options of the Redis snapshot store; Identifier "redis" makes it akka.persistence.snapshot-store.redis.
using System.Text;
using Akka.Persistence.Hosting;
using AkkaConfig = Akka.Configuration.Config;

namespace FlowAkka.Persistence.Redis.Hosting;

public sealed class RedisSnapshotOptions : SnapshotOptions
{
    public RedisSnapshotOptions() : this(true)
    {
    }

    public RedisSnapshotOptions(bool isDefaultPlugin, string identifier = "redis") : base(isDefaultPlugin)
    {
        Identifier = identifier;
    }

    public override string Identifier { get; set; }

    public string ConfigurationString { get; set; } = "";

    public string? KeyPrefix { get; set; }

    public int? Database { get; set; }

    public bool? UseDatabaseFromConnectionString { get; set; }

    public TimeSpan? CallTimeout { get; set; }

    protected override AkkaConfig InternalDefaultConfig { get; } = RedisPersistence.DefaultSnapshotConfig();

    protected override StringBuilder Build(StringBuilder sb)
    {
        RedisHoconKeys.Append(sb, ConfigurationString, KeyPrefix, Database, UseDatabaseFromConnectionString, CallTimeout);
        return base.Build(sb);
    }
}
