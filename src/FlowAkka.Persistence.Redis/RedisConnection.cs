// One plugin's link to Redis: its own multiplexer, the database it writes to, and time-bounded calls.
using FlowAkka.Persistence.Redis.Configuration;
using StackExchange.Redis;

namespace FlowAkka.Persistence.Redis;

public sealed class RedisConnection : IAsyncDisposable
{
    private readonly ConnectionMultiplexer _multiplexer;

    private RedisConnection(ConnectionMultiplexer multiplexer, IDatabase database, RedisSettings settings, bool isCluster)
    {
        _multiplexer = multiplexer;
        Database = database;
        Settings = settings;
        IsCluster = isCluster;
        Keys = settings.Keys();
    }

    public IDatabase Database { get; }

    public RedisSettings Settings { get; }

    public KeyLayout Keys { get; }

    public bool IsCluster { get; }

    /// <summary>Connects with abortConnect=false: returns even while Redis is down (calls then fail fast until the
    /// multiplexer reconnects in the background).</summary>
    public static async Task<RedisConnection> OpenAsync(RedisSettings settings, params RedisScript[] scripts)
    {
        var options = settings.ToConfigurationOptions();
        var multiplexer = await ConnectionMultiplexer.ConnectAsync(options).ConfigureAwait(false);
        await LoadScriptsAsync(multiplexer, scripts).ConfigureAwait(false);
        // A restarted or failed-over server has lost its script cache; load them again as soon as we are back.
        multiplexer.ConnectionRestored += (_, _) => _ = LoadScriptsAsync(multiplexer, scripts);
        var isCluster = multiplexer.GetEndPoints()
            .Select(e => multiplexer.GetServer(e))
            .Any(s => s.IsConnected && s.ServerType == ServerType.Cluster);
        // Redis Cluster only has database 0.
        var db = isCluster ? 0
            : settings.UseDatabaseNumberFromConnectionString ? options.DefaultDatabase ?? 0
            : settings.Database;
        return new RedisConnection(multiplexer, multiplexer.GetDatabase(db), settings, isCluster);
    }

    /// <summary>Best effort: a script not yet loaded is still sent by source once (RedisScript's NOSCRIPT path).</summary>
    private static async Task LoadScriptsAsync(ConnectionMultiplexer multiplexer, RedisScript[] scripts)
    {
        if (scripts.Length == 0) return;
        foreach (var server in multiplexer.GetServers().Where(s => s.IsConnected && !s.IsReplica))
        {
            foreach (var script in scripts)
            {
                try
                {
                    await server.ScriptLoadAsync(script.Source).ConfigureAwait(false);
                }
                catch (RedisException)
                {
                    // Down again or not allowed (ACL): evaluation falls back to EVAL.
                }
            }
        }
    }

    /// <summary>Runs one Redis call bounded by call-timeout (StackExchange.Redis has its own timeout too; this one also
    /// covers the time spent waiting for a connection).</summary>
    public Task<T> Call<T>(Func<IDatabase, Task<T>> call, CancellationToken cancellationToken) =>
        call(Database).WaitAsync(Settings.CallTimeout, cancellationToken);

    public Task Call(Func<IDatabase, Task> call, CancellationToken cancellationToken) =>
        call(Database).WaitAsync(Settings.CallTimeout, cancellationToken);

    public async Task<TimeSpan> PingAsync(CancellationToken cancellationToken) =>
        await Call(db => db.PingAsync(CommandFlags.DemandMaster), cancellationToken).ConfigureAwait(false);

    /// <summary>Disposes a connection that is still opening or already open; a failed open has nothing to close.</summary>
    public static async Task CloseWhenOpenedAsync(Task<RedisConnection> opening)
    {
        RedisConnection connection;
        try
        {
            connection = await opening.ConfigureAwait(false);
        }
        catch (Exception)
        {
            return;
        }
        await connection.DisposeAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync() => await _multiplexer.DisposeAsync().ConfigureAwait(false);
}
