// Where the shared test Redis is (env vars with the CI defaults) and how a test class gets and cleans its own key prefix.
using StackExchange.Redis;

namespace FlowAkka.Persistence.Redis.Tests;

public static class RedisEndpoint
{
    public static string ConfigurationString
    {
        get
        {
            var host = Env("REDIS_HOST", "127.0.0.1");
            var port = Env("REDIS_PORT", "6379");
            var password = Env("REDIS_PASSWORD", "");
            return $"{host}:{port}" + (password.Length > 0 ? $",password={password}" : "");
        }
    }

    /// <summary>A prefix no other test class (or run) shares.</summary>
    public static string UniquePrefix(string owner) => $"test:{owner}:{Guid.NewGuid():N}:";

    /// <summary>Deletes every key under a prefix (SCAN + DEL; never FLUSHDB on the shared server).</summary>
    public static async Task DeleteKeysAsync(string prefix, string? configurationString = null)
    {
        await using var mux = await ConnectionMultiplexer.ConnectAsync(configurationString ?? ConfigurationString);
        var db = mux.GetDatabase();
        foreach (var endpoint in mux.GetEndPoints())
        {
            var server = mux.GetServer(endpoint);
            var batch = new List<RedisKey>();
            await foreach (var key in server.KeysAsync(pattern: prefix + "*", pageSize: 1000))
            {
                batch.Add(key);
                if (batch.Count == 1000) { await db.KeyDeleteAsync(batch.ToArray()); batch.Clear(); }
            }
            if (batch.Count > 0) await db.KeyDeleteAsync(batch.ToArray());
        }
    }

    private static string Env(string name, string fallback) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } v ? v : fallback;
}
