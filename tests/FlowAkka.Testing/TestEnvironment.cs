// The endpoints of the real Redis and PostgreSQL that `./build.sh services` starts, free ports, waiting helpers.
using System.Net;
using System.Net.Sockets;

namespace FlowAkka.Testing;

public static class TestEnvironment
{
    public static string Env(string name, string fallback) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : fallback;

    public static string FlowDbHost => Env("FLOWDB_HOST", "127.0.0.1");

    public static string FlowDbPort => Env("FLOWDB_PORT", "9000");

    public static string RedisHost => Env("REDIS_HOST", "127.0.0.1");

    public static string RedisPort => Env("REDIS_PORT", "6379");

    public static string? RedisPassword => Environment.GetEnvironmentVariable("REDIS_PASSWORD") is { Length: > 0 } p ? p : null;

    /// <summary>A StackExchange.Redis configuration string for the shared Redis.</summary>
    public static string RedisConfiguration =>
        $"{RedisHost}:{RedisPort},abortConnect=false,connectTimeout=3000,syncTimeout=5000,asyncTimeout=5000"
        + (RedisPassword is { } password ? $",password={password}" : "");

    /// <summary>As the postgres superuser, whom pg_hba trusts from 127.0.0.1.</summary>
    public static string PostgresConnectionString(string database) =>
        $"Host={FlowDbHost};Port={FlowDbPort};Database={database};Username=postgres;" +
        "Pooling=true;Maximum Pool Size=20;Include Error Detail=true;Timezone=UTC";

    /// <summary>A Redis key prefix no other test uses, so runs never see each other's journals.</summary>
    public static string UniqueKeyPrefix(string name) => $"test:{name}:{Guid.NewGuid():N}:";

    /// <summary>A port nothing listens on right now (never the fixed 5555/9110/4053 ones of a dev cluster).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The repository root (the folder holding FlowAkka.sln), found from the test output folder.</summary>
    public static string RepositoryRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "FlowAkka.sln"))) return dir.FullName;
            }
            throw new DirectoryNotFoundException($"No FlowAkka.sln above {AppContext.BaseDirectory}");
        }
    }

    /// <summary>Polls <paramref name="condition"/> until it holds; throws with <paramref name="what"/> when it never does.</summary>
    public static async Task<T> EventuallyAsync<T>(Func<Task<T?>> condition, TimeSpan timeout, string what,
        TimeSpan? interval = null) where T : class
    {
        var deadline = DateTime.UtcNow + timeout;
        Exception? last = null;
        while (true)
        {
            try
            {
                if (await condition() is { } value) return value;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                last = e;
            }
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0}s waiting for: {what}" +
                                           (last is null ? "" : $" (last error: {last.Message})"));
            await Task.Delay(interval ?? TimeSpan.FromMilliseconds(200));
        }
    }

    public static Task EventuallyAsync(Func<Task<bool>> condition, TimeSpan timeout, string what, TimeSpan? interval = null) =>
        EventuallyAsync<object>(async () => await condition() ? true : null, timeout, what, interval);
}
