// Akka.Hosting entry points: builder.WithRedisPersistence(...) sets up journal, snapshot store and the read journal.
using Akka.Hosting;
using Akka.Persistence.Hosting;

namespace FlowAkka.Persistence.Redis.Hosting;

public static class RedisPersistenceHostingExtensions
{
    /// <summary>Redis journal and snapshot store under the ids "redis" (akka.persistence.journal.redis,
    /// akka.persistence.snapshot-store.redis), plus the read journal <c>akka.persistence.query.journal.redis</c>.</summary>
    public static AkkaConfigurationBuilder WithRedisPersistence(
        this AkkaConfigurationBuilder builder,
        string configurationString,
        string keyPrefix = "",
        int database = 0,
        bool isDefaultPlugin = true)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(configurationString);
        return builder.WithRedisPersistence(
            new RedisJournalOptions(isDefaultPlugin) { ConfigurationString = configurationString, KeyPrefix = keyPrefix, Database = database },
            new RedisSnapshotOptions(isDefaultPlugin) { ConfigurationString = configurationString, KeyPrefix = keyPrefix, Database = database });
    }

    /// <summary>Options form; either part may be null to configure only the other one. The read journal queries
    /// the given journal.</summary>
    public static AkkaConfigurationBuilder WithRedisPersistence(
        this AkkaConfigurationBuilder builder,
        RedisJournalOptions? journalOptions,
        RedisSnapshotOptions? snapshotOptions,
        Action<AkkaPersistenceJournalBuilder>? journalBuilder = null,
        Action<AkkaPersistenceSnapshotBuilder>? snapshotBuilder = null)
    {
        if (journalOptions is null && snapshotOptions is null)
            throw new ArgumentException("Configure at least a journal or a snapshot store.");

        // The whole reference config as lowest-priority fallback (query section, defaults of every key).
        builder.AddHocon(RedisPersistence.DefaultConfig(), HoconAddMode.Append);

        if (journalOptions is not null)
        {
            builder.WithJournal(journalOptions, journalBuilder ?? (_ => { }));
            builder.AddHocon(
                $"{RedisPersistence.QueryConfigPath}.write-plugin = \"akka.persistence.journal.{journalOptions.Identifier}\"",
                HoconAddMode.Prepend);
        }

        if (snapshotOptions is not null)
            builder.WithSnapshot(snapshotOptions, snapshotBuilder ?? (_ => { }));

        return builder;
    }
}
