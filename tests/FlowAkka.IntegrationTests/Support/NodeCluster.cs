// N real node processes on loopback with free ports, one Redis key prefix, one test database and the test HOCON.
using System.Text.Json.Nodes;
using FlowAkka.Cluster.Client;
using FlowAkka.Protocol;

namespace FlowAkka.IntegrationTests.Support;

public sealed record RedisEndpoint(string Host, int Port, string? Password)
{
    public static RedisEndpoint Shared =>
        new(TestEnvironment.RedisHost, int.Parse(TestEnvironment.RedisPort, System.Globalization.CultureInfo.InvariantCulture),
            TestEnvironment.RedisPassword);

    public string ConfigurationString =>
        $"{Host}:{Port},abortConnect=false,connectTimeout=2000" + (Password is null ? "" : $",password={Password}");
}

public sealed class NodeCluster : IAsyncDisposable
{
    /// <summary>Faster failure handling than production (stable-after 20 s): the node reads it through
    /// FLOWAKKA_EXTRA_HOCON_FILE, after its hocon/ files.</summary>
    public const string TestHocon = """
        akka.cluster.split-brain-resolver.stable-after = 5s
        akka.cluster.down-removal-margin = 3s
        akka.cluster.failure-detector.acceptable-heartbeat-pause = 2s
        akka.cluster.sharding.handoff-timeout = 10s
        akka.coordinated-shutdown.phases.cluster-sharding-shutdown-region.timeout = 10s
        """;

    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly Dictionary<string, string>[] _environments;
    private readonly string _logDir;
    private readonly NodeProcess[] _nodes;
    private readonly int[] _starts;

    private NodeCluster(string name, int count, FlowDbTestDatabase db, RedisEndpoint redis)
    {
        Name = name;
        Redis = redis;
        KeyPrefix = TestEnvironment.UniqueKeyPrefix(name);
        _logDir = NodeBinaries.LogDirectory($"{DateTime.UtcNow:yyyyMMdd-HHmmss}-{name}");
        var hocon = Path.Combine(_logDir, "test.conf");
        File.WriteAllText(hocon, TestHocon);

        var ports = Enumerable.Range(0, count)
            .Select(_ => new NodePorts(TestEnvironment.FreePort(), TestEnvironment.FreePort(), TestEnvironment.FreePort())).ToArray();
        Ports = ports;
        // Every node is a seed (node 0 first, so it forms the cluster): a restarted node 0 then joins the running
        // cluster through the others instead of forming a second cluster of its own.
        var seed = string.Join(",", ports.Select(p => $"akka.tcp://flowakka@127.0.0.1:{p.Remote}"));
        _environments = ports.Select(p =>
        {
            var env = new Dictionary<string, string>
            {
                ["FLOWMACHINE_PORT"] = p.Zmq.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["FLOWAKKA_ZMQ_BIND"] = "127.0.0.1",
                ["FLOWAKKA_PBM_PORT"] = p.Pbm.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["FLOWAKKA_REMOTE_PORT"] = p.Remote.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["FLOWAKKA_HOSTNAME"] = "127.0.0.1",
                ["FLOWAKKA_SEED_NODES"] = seed,
                ["FLOWDB_HOST"] = TestEnvironment.FlowDbHost,
                ["FLOWDB_PORT"] = TestEnvironment.FlowDbPort,
                ["FLOWDB_DATABASE"] = db.Name,
                ["FLOWMACHINE_FLOWDB_USER"] = "postgres",
                ["FLOWMACHINE_FLOWDB_PASSWORD"] = "unused-trusted-from-loopback",
                ["REDIS_HOST"] = redis.Host,
                ["REDIS_PORT"] = redis.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["FLOWAKKA_REDIS_KEY_PREFIX"] = KeyPrefix,
                ["FLOWAKKA_EXTRA_HOCON_FILE"] = hocon,
                // Above the number of queries a test holds on a lock, so a held query never starves its dependencies of workers.
                ["DB_CONNECTION_POOL_SIZE"] = "8",
            };
            if (redis.Password is { } password) env["REDIS_PASSWORD"] = password;
            return env;
        }).ToArray();
        _nodes = new NodeProcess[count];
        _starts = new int[count];
    }

    public string Name { get; }

    public string KeyPrefix { get; }

    public RedisEndpoint Redis { get; }

    public IReadOnlyList<NodePorts> Ports { get; }

    public NodeProcess this[int index] => _nodes[index];

    public int Count => _nodes.Length;

    /// <summary>Starts every node at once (node 0 is the first seed and forms the cluster) and waits until each is Up.</summary>
    public static async Task<NodeCluster> StartAsync(string name, int count, FlowDbTestDatabase db, RedisEndpoint? redis = null)
    {
        var cluster = new NodeCluster(name, count, db, redis ?? RedisEndpoint.Shared);
        try
        {
            for (var i = 0; i < count; i++) cluster.Launch(i);
            await Task.WhenAll(Enumerable.Range(0, count).Select(cluster.WaitUpAsync));
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    private void Launch(int index)
    {
        _starts[index]++;
        _nodes[index] = NodeProcess.Start(index, Ports[index], _environments[index], Path.Combine(_logDir, $"node{index}.log"));
    }

    /// <summary>Waits for the node's "is Up" log line and a pong on its ZMQ socket.</summary>
    public async Task WaitUpAsync(int index)
    {
        var node = _nodes[index];
        await TestEnvironment.EventuallyAsync(() =>
        {
            if (node.HasExited) throw new InvalidOperationException($"node {index} exited ({node.ExitCode}):\n{node.LogTail()}");
            return Task.FromResult(node.LogContains("is Up (cluster of"));
        }, StartTimeout, $"node {index} to be Up; log tail:\n{node.LogTail()}");
        using var client = Client(index, TimeSpan.FromSeconds(5));
        var pong = await client.RequestAsync("ping");
        if (pong.Msg != "pong") throw new InvalidOperationException($"node {index} answered ping with {pong}");
    }

    /// <summary>Graceful leave: SIGTERM, wait for the exit (coordinated shutdown hands the shards off), start again.</summary>
    public async Task<TimeSpan> RestartGracefullyAsync(int index, TimeSpan exitTimeout)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        var node = _nodes[index];
        node.Signal(NodeProcess.SigTerm);
        if (!await node.WaitForExitAsync(exitTimeout))
            throw new TimeoutException($"node {index} did not exit within {exitTimeout} after SIGTERM:\n{node.LogTail()}");
        var exited = started.Elapsed;
        await node.DisposeAsync();
        Launch(index);
        await WaitUpAsync(index);
        return exited;
    }

    public FlowKitClient Client(int index, TimeSpan? timeout = null) =>
        new(new FlowKitClientOptions { Endpoint = $"tcp://127.0.0.1:{Ports[index].Zmq}", Timeout = timeout ?? TimeSpan.FromSeconds(30) });

    public string LogDirectory => _logDir;

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes.Where(n => n is not null)) await node.DisposeAsync();
    }
}

/// <summary>What a client saw: every request, its reply or the lack of one.</summary>
public sealed class RequestLedger
{
    private long _sent, _replied, _noReply, _retryable;
    private readonly List<double> _latenciesMs = [];

    public long Sent => Interlocked.Read(ref _sent);
    public long Replied => Interlocked.Read(ref _replied);
    public long NoReply => Interlocked.Read(ref _noReply);
    public long RetryableErrors => Interlocked.Read(ref _retryable);

    public IReadOnlyList<double> LatenciesMs
    {
        get { lock (_latenciesMs) return _latenciesMs.ToList(); }
    }

    /// <summary>The error replies a client is told to retry: no reply from the query's actor in time, the
    /// coordination store (Redis) unavailable, or the ingress at its in-flight limit.</summary>
    public static bool IsRetryable(Reply reply) =>
        reply.Status == ReplyStatus.Error &&
        (reply.Msg == Reply.CouldNotGetReplyMsg || reply.Msg == Reply.ServerBusyMsg || reply.Msg.EndsWith("please retry.", StringComparison.Ordinal));

    /// <summary>One request on a fresh-or-reused client; a timeout disposes the client (DEALER replies are matched
    /// by order, so a late reply would be taken for the next one) and counts as no reply.</summary>
    public async Task<Reply?> SendAsync(Func<FlowKitClient> connect, Ref<FlowKitClient?> client, string action, JsonObject? parameters)
    {
        Interlocked.Increment(ref _sent);
        client.Value ??= connect();
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            var reply = await client.Value.RequestAsync(action, (JsonObject?)parameters?.DeepClone());
            var ms = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            Interlocked.Increment(ref _replied);
            if (IsRetryable(reply)) Interlocked.Increment(ref _retryable);
            lock (_latenciesMs) _latenciesMs.Add(ms);
            return reply;
        }
        catch (TimeoutException)
        {
            Interlocked.Increment(ref _noReply);
            client.Value.Dispose();
            client.Value = null;
            return null;
        }
    }

    public static double Percentile(IReadOnlyList<double> values, double p)
    {
        if (values.Count == 0) return double.NaN;
        var sorted = values.Order().ToArray();
        var rank = (int)Math.Ceiling(p / 100.0 * sorted.Length) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Length - 1)];
    }
}

public sealed class Ref<T>(T value)
{
    public T Value { get; set; } = value;
}
