// Everything a node reads from its environment, with FlowKit's variable names where FlowKit has one.
using FlowAkka.Cluster.Hosting;
using Microsoft.Extensions.Logging;

namespace FlowAkka.Node.Configuration;

public enum LogFormat { Plain, Json }

public sealed record NodeSettings
{
    public required int FlowMachinePort { get; init; }
    public required string FlowDbHost { get; init; }

    /// <summary>The FlowDB database (FLOWDB_DATABASE, default flowdb as in FlowKit; tests point nodes at a throw-away one).</summary>
    public string FlowDbDatabase { get; init; } = "flowdb";
    public required int FlowDbPort { get; init; }
    public required string FlowDbUser { get; init; }
    public required string FlowDbPassword { get; init; }
    public required string RedisHost { get; init; }
    public required int RedisPort { get; init; }
    public string? RedisPassword { get; init; }
    public required int DbConnectionPoolSize { get; init; }

    /// <summary>Upper bound of one query's CREATE TABLE AS (FLOWAKKA_STATEMENT_TIMEOUT, seconds).</summary>
    public TimeSpan StatementTimeout { get; init; } = TimeSpan.FromHours(1);
    public required bool DisableDependencyCaching { get; init; }
    public required LogLevel LogLevel { get; init; }
    public required LogFormat LogFormat { get; init; }
    public required ClusterNodeOptions Cluster { get; init; }
    public required int PbmPort { get; init; }
    public string? CurveSecretKeyFile { get; init; }

    /// <summary>Interface the ZMQ ROUTER binds to (FLOWAKKA_ZMQ_BIND, default all interfaces like FlowKit).</summary>
    public string ZmqBindAddress { get; init; } = "*";

    /// <summary>An operator's own HOCON (FLOWAKKA_EXTRA_HOCON_FILE), loaded after the hocon/ files so it wins over
    /// them; the values set from environment variables still win over it.</summary>
    public string? ExtraHoconFile { get; init; }

    /// <summary>Prefix of every Redis key the node writes (FLOWAKKA_REDIS_KEY_PREFIX).</summary>
    public string RedisKeyPrefix { get; init; } = "flowakka:";
    public string? ClientKeysFile { get; init; }

    /// <summary>Built by Npgsql's builder, so a password holding ';' or '=' stays a password.</summary>
    public string FlowDbConnectionString => new Npgsql.NpgsqlConnectionStringBuilder
    {
        Host = FlowDbHost, Port = FlowDbPort, Database = FlowDbDatabase, Username = FlowDbUser, Password = FlowDbPassword,
        ApplicationName = "flowakka", MaxPoolSize = DbConnectionPoolSize + 4, Timezone = "UTC",
    }.ConnectionString;

    /// <summary>A StackExchange.Redis configuration string; abortConnect=false so a node starts while Redis is down.</summary>
    public string RedisConfiguration =>
        $"{RedisHost}:{RedisPort},abortConnect=false,connectTimeout=5000,syncTimeout=5000,asyncTimeout=5000" +
        (RedisPassword is null ? "" : $",password={RedisPassword}");
}
