namespace FlowAkka.Cluster.Tests.Support;

/// <summary>The endpoints of the real Redis and PostgreSQL that `./build.sh services` starts.</summary>
public static class TestEnvironment
{
    private static string Env(string name, string fallback) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : fallback;

    public static string RedisConfiguration
    {
        get
        {
            var password = Env("REDIS_PASSWORD", "");
            return $"{Env("REDIS_HOST", "127.0.0.1")}:{Env("REDIS_PORT", "6379")},abortConnect=false,connectTimeout=3000,syncTimeout=5000,asyncTimeout=5000"
                   + (password.Length > 0 ? $",password={password}" : "");
        }
    }

    public static string PostgresConnectionString(string database) =>
        $"Host={Env("FLOWDB_HOST", "127.0.0.1")};Port={Env("FLOWDB_PORT", "9000")};Database={database};Username=postgres;" +
        "Pooling=true;Maximum Pool Size=20;Include Error Detail=true;Timezone=UTC";

    /// <summary>A Redis key prefix no other test uses, so runs never see each other's journals.</summary>
    public static string UniqueKeyPrefix(string name) => $"test:{name}:{Guid.NewGuid():N}:";
}
