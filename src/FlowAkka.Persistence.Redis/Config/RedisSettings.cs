// Settings shared by the journal, the snapshot store and the read journal, read from a plugin's HOCON section
// with the embedded reference section as fallback.
using StackExchange.Redis;
using AkkaConfig = Akka.Configuration.Config;

namespace FlowAkka.Persistence.Redis.Configuration;

public sealed record RedisSettings(
    string ConfigurationString,
    int Database,
    string KeyPrefix,
    bool UseDatabaseNumberFromConnectionString,
    TimeSpan CallTimeout,
    int ReplayPageSize)
{
    public static RedisSettings Create(AkkaConfig config, AkkaConfig fallback)
    {
        var c = config.WithFallback(fallback);
        var settings = new RedisSettings(
            c.GetString("configuration-string", ""),
            c.GetInt("database", 0),
            c.GetString("key-prefix", ""),
            c.GetBoolean("use-database-number-from-connection-string", false),
            c.GetTimeSpan("call-timeout", TimeSpan.FromSeconds(5)),
            c.GetInt("replay-page-size", 1000));
        settings.Validate();
        return settings;
    }

    public static RedisSettings ForJournal(AkkaConfig config) => Create(config, RedisPersistence.DefaultJournalConfig());

    public static RedisSettings ForSnapshotStore(AkkaConfig config) => Create(config, RedisPersistence.DefaultSnapshotConfig());

    public KeyLayout Keys() => new(KeyPrefix);

    /// <summary>The StackExchange.Redis options this plugin runs with: the user's string, made resilient.</summary>
    public ConfigurationOptions ToConfigurationOptions()
    {
        var options = ConfigurationOptions.Parse(ConfigurationString);
        // Start even while Redis is down, keep reconnecting in the background.
        options.AbortOnConnectFail = false;
        // While disconnected, fail commands at once instead of queueing them: a write must fail, never hang.
        options.BacklogPolicy = BacklogPolicy.FailFast;
        // Reconnect within about a second of Redis coming back (the default backs off exponentially to ~10 s and
        // beyond), so an outage costs its own length and not a long tail of failed writes after it.
        options.ReconnectRetryPolicy = new LinearRetry(1000);
        var timeoutMs = (int)Math.Min(int.MaxValue, CallTimeout.TotalMilliseconds);
        options.AsyncTimeout = Math.Min(options.AsyncTimeout, timeoutMs);
        options.SyncTimeout = Math.Min(options.SyncTimeout, timeoutMs);
        options.ConnectTimeout = Math.Min(options.ConnectTimeout, timeoutMs);
        return options;
    }

    private void Validate()
    {
        if (string.IsNullOrWhiteSpace(ConfigurationString))
            throw new ArgumentException("configuration-string must be set (a StackExchange.Redis configuration string such as \"127.0.0.1:6379\").");
        if (Database < 0)
            throw new ArgumentException($"database must be >= 0, was {Database}.");
        if (CallTimeout <= TimeSpan.Zero)
            throw new ArgumentException("call-timeout must be positive.");
        if (ReplayPageSize <= 0)
            throw new ArgumentException("replay-page-size must be positive.");
        _ = new KeyLayout(KeyPrefix);
        _ = ConfigurationOptions.Parse(ConfigurationString);
    }
}
