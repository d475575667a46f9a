// Base of the plugin specs (our own re-creation of the Akka TCK harness): the Redis plugins with a key prefix unique to
// the test class, plugin commands published on the EventStream, the transport-checking test serializer, a fresh
// persistence id per test, and removal of the class's keys afterwards.
using Akka.Configuration;
using Akka.TestKit.Xunit2;
using Xunit;
using Xunit.Abstractions;

namespace FlowAkka.Persistence.Redis.Tests;

public abstract class PluginSpec : TestKit, IAsyncLifetime
{
    private static long _pidCounter;

    protected PluginSpec(string keyPrefix, ITestOutputHelper output, string extraHocon = "")
        : base(SpecConfig(keyPrefix, extraHocon), output: output)
    {
        KeyPrefix = keyPrefix;
        Pid = "p-" + Interlocked.Increment(ref _pidCounter);
        WriterGuid = Guid.NewGuid().ToString();
    }

    protected string KeyPrefix { get; }

    protected string Pid { get; }

    protected string WriterGuid { get; }

    protected const int ActorInstanceId = 1;

    public static Config SpecConfig(string keyPrefix, string extraHocon = "", string? configurationString = null) =>
        ConfigurationFactory.ParseString(extraHocon)
            .WithFallback(ConfigurationFactory.ParseString($$"""
                akka.loglevel = INFO
                akka.persistence.publish-plugin-commands = on
                akka.persistence.journal.plugin = "akka.persistence.journal.redis"
                akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.redis"
                akka.persistence.journal.redis {
                  configuration-string = "{{configurationString ?? RedisEndpoint.ConfigurationString}}"
                  key-prefix = "{{keyPrefix}}"
                }
                akka.persistence.snapshot-store.redis {
                  configuration-string = "{{configurationString ?? RedisEndpoint.ConfigurationString}}"
                  key-prefix = "{{keyPrefix}}"
                }
                akka.persistence.query.journal.redis.refresh-interval = 200ms
                akka.actor {
                  serializers {
                    transport-checking = "FlowAkka.Persistence.Redis.Tests.TransportCheckingSerializer, FlowAkka.Persistence.Redis.Tests"
                    refusing = "FlowAkka.Persistence.Redis.Tests.RefusingSerializer, FlowAkka.Persistence.Redis.Tests"
                  }
                  serialization-bindings {
                    "FlowAkka.Persistence.Redis.Tests.TestPayload, FlowAkka.Persistence.Redis.Tests" = transport-checking
                    "FlowAkka.Persistence.Redis.Tests.RefusedPayload, FlowAkka.Persistence.Redis.Tests" = refusing
                  }
                }
                """))
            .WithFallback(RedisPersistence.DefaultConfig());

    public Task InitializeAsync() => Task.CompletedTask;

    /// <summary>Runs before TestKit's Dispose; tests of one class run one after another, so this only removes
    /// keys of tests that have finished.</summary>
    public virtual Task DisposeAsync() => RedisEndpoint.DeleteKeysAsync(KeyPrefix);
}
