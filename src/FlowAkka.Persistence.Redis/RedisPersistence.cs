// The plugin's Akka extension: loads the embedded reference.conf and injects it as a top-level fallback, so the
// journal, snapshot store and read journal sections exist whenever a system uses this assembly.
using Akka.Actor;
using Akka.Configuration;
using AkkaConfig = Akka.Configuration.Config;

namespace FlowAkka.Persistence.Redis;

public sealed class RedisPersistence : IExtension
{
    public const string JournalConfigPath = "akka.persistence.journal.redis";
    public const string SnapshotConfigPath = "akka.persistence.snapshot-store.redis";
    public const string QueryConfigPath = "akka.persistence.query.journal.redis";

    private static readonly Lazy<AkkaConfig> Reference = new(LoadReference);

    public RedisPersistence(ExtendedActorSystem system)
    {
        system.Settings.InjectTopLevelFallback(DefaultConfig());
    }

    /// <summary>The embedded reference configuration (all three sections).</summary>
    public static AkkaConfig DefaultConfig() => Reference.Value;

    public static AkkaConfig DefaultJournalConfig() => DefaultConfig().GetConfig(JournalConfigPath);

    public static AkkaConfig DefaultSnapshotConfig() => DefaultConfig().GetConfig(SnapshotConfigPath);

    public static AkkaConfig DefaultQueryConfig() => DefaultConfig().GetConfig(QueryConfigPath);

    public static RedisPersistence Get(ActorSystem system) => system.WithExtension<RedisPersistence, RedisPersistenceProvider>();

    private static AkkaConfig LoadReference()
    {
        const string name = "FlowAkka.Persistence.Redis.reference.conf";
        using var stream = typeof(RedisPersistence).Assembly.GetManifestResourceStream(name)
                           ?? throw new InvalidOperationException($"Embedded resource {name} is missing.");
        using var reader = new StreamReader(stream);
        return ConfigurationFactory.ParseString(reader.ReadToEnd());
    }
}

public sealed class RedisPersistenceProvider : ExtensionIdProvider<RedisPersistence>
{
    public override RedisPersistence CreateExtension(ExtendedActorSystem system) => new(system);
}
