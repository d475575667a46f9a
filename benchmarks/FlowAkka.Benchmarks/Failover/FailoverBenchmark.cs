// Issue #9 row 7: SIGKILL of one of 3 `flowakka serve` processes while 20 queries execute → time until all 20 are
// completed on the survivors, and duplicate executions (committed CREATE TABLE AS per cache table beyond the first).
using System.Diagnostics;
using System.Globalization;
using FlowAkka.Benchmarks.Support;
using FlowAkka.Cluster.Client;
using System.Text.Json.Nodes;

namespace FlowAkka.Benchmarks.Failover;

public sealed class FailoverBenchmark : IBenchmark
{
    private const int Queries = 20;

    public string Name => "failover";

    public async Task<IReadOnlyList<BenchmarkRow>> RunAsync(BenchmarkContext context, CancellationToken cancellationToken)
    {
        var root = RepoRoot();
        var dll = NodeProcess.NodeDll(root);
        await BuildNodeAsync(root, dll);
        var db = await SharedDataset.GetAsync(context);
        await db.ClearCacheAsync();
        var prefix = RedisKeys.UniquePrefix(Name);
        // --quick lowers failure detection through the node's FLOWAKKA_EXTRA_HOCON_FILE; the full run keeps production's 20 s + 20 s.
        var (stableAfter, removalMargin) = context.Quick ? (5, 2) : (20, 20);
        var hocon = Path.Combine(Path.GetTempPath(), $"flowakka-bench-{Guid.NewGuid():N}.conf");
        await File.WriteAllTextAsync(hocon, $"""
            akka.cluster.split-brain-resolver.stable-after = {stableAfter}s
            akka.cluster.down-removal-margin = {removalMargin}s
            """, cancellationToken);
        var nodes = new List<NodeProcess>();
        var clients = new List<FlowKitClient>();
        try
        {
            var environment = new Dictionary<string, string>
            {
                ["FLOWDB_HOST"] = Env("FLOWDB_HOST", "127.0.0.1"),
                ["FLOWDB_PORT"] = Env("FLOWDB_PORT", "9000"),
                ["FLOWDB_DATABASE"] = db.Name,
                ["FLOWMACHINE_FLOWDB_USER"] = "postgres",
                ["FLOWMACHINE_FLOWDB_PASSWORD"] = "postgres",
                ["REDIS_HOST"] = Env("REDIS_HOST", "127.0.0.1"),
                ["REDIS_PORT"] = Env("REDIS_PORT", "6379"),
                ["REDIS_PASSWORD"] = Env("REDIS_PASSWORD", ""),
                ["FLOWAKKA_REDIS_KEY_PREFIX"] = prefix,
                ["DB_CONNECTION_POOL_SIZE"] = "7",
                ["FLOWMACHINE_LOG_LEVEL"] = "info",
                ["FLOWAKKA_EXTRA_HOCON_FILE"] = hocon,
            };
            var remotePorts = Enumerable.Range(0, 3).Select(_ => NodeProcess.FreePort()).ToList();
            var seed = $"akka.tcp://flowakka@127.0.0.1:{remotePorts[0]}";
            nodes.AddRange(remotePorts.Select(port => NodeProcess.Start(dll, port, seed, environment)));
            await AwaitClusterAsync(nodes);

            // The baseline runs the same 20 computations under other ids (hours 0-24 = the whole day, so the same work):
            // no reset between the rounds, and the failover round starts as cold in FlowAkka as the baseline did.
            List<JsonObject> Specs(bool wholeDayHours) =>
                (from unit in new[] { "admin1", "admin2", "admin3" }
                 from day in Enumerable.Range(1, 7)
                 select Requests.SpatialAggregate(wholeDayHours
                     ? Requests.DailyLocation($"2016-01-0{day}", unit, "last", 0, 24)
                     : Requests.DailyLocation($"2016-01-0{day}", unit))).Take(Queries).ToList();
            var specs = Specs(false);
            var ids = specs.Select(Requests.QueryId).ToList();
            var dependencyIds = specs.Select(s => Requests.QueryId((JsonObject)s["locations"]!)).ToList();

            // Baseline, same run: the same 20 computations on the healthy cluster, submitted at every node.
            clients.AddRange(nodes.Select(n => new FlowKitClient(new FlowKitClientOptions { Endpoint = n.Endpoint, Timeout = TimeSpan.FromSeconds(60) })));
            var baselineSpecs = Specs(true);
            var healthy = await RunAllAsync(baselineSpecs, clients, baselineSpecs.Select(Requests.QueryId).ToList(), clients);

            // Failover round.
            var mark = await db.LastLogIdAsync();
            foreach (var (spec, k) in specs.Select((s, k) => (s, k))) await clients[k % clients.Count].RunAsync(spec);
            var (victim, executingOnVictim, executing) = await AwaitExecutingAsync(db, nodes, async () =>
            {
                var states = new List<string>();
                foreach (var id in ids.Concat(dependencyIds)) states.Add(await clients[0].StateAsync(id));
                return string.Join(", ", states.GroupBy(x => x).Select(g => $"{g.Key}={g.Count()}"));
            });
            var survivors = nodes.Where(n => n != victim).ToList();
            var survivorClients = clients.Where((_, i) => nodes[i] != victim).ToList();
            var killed = Stopwatch.StartNew();
            victim.Kill();
            await AwaitAllCompletedAsync(ids, survivors, TimeSpan.FromMinutes(context.Quick ? 3 : 8));
            var failover = killed.Elapsed;

            long duplicates = 0;
            foreach (var id in ids.Concat(dependencyIds))
            {
                var executions = await db.ExecutionsAsync(id, mark);
                if (executions == 0) throw new InvalidOperationException($"{id} completed without an execution in the failover round");
                duplicates += Math.Max(0, executions - 1);
            }

            var baseline = TimeSpan.FromSeconds(stableAfter + removalMargin) + healthy;
            var ratio = failover / baseline;
            var situation = $"{executing}, {executingOnVictim} on the killed node";
            return
            [
                new BenchmarkRow("failover",
                    $"SIGKILL of 1 of 3 nodes with {Queries} spatial_aggregate queries in flight ({situation}) → all completed on survivors",
                    Measure.Ms(failover.TotalMilliseconds),
                    $"SBR stable-after {stableAfter} s + down-removal-margin {removalMargin} s + same {Queries} queries on a healthy cluster {Measure.Ms(healthy.TotalMilliseconds)}",
                    ratio, "≤ 1.00", ratio <= 1.0),
                new BenchmarkRow("failover", $"duplicate executions (committed CREATE TABLE AS beyond one per table, {ids.Count * 2} tables)",
                    Measure.Count(duplicates), "0", duplicates, "= 0", duplicates == 0),
            ];
        }
        catch
        {
            foreach (var node in nodes)
                foreach (var line in node.Log.TakeLast(15)) Console.Error.WriteLine($"   [node {node.Pid}] {line}");
            throw;
        }
        finally
        {
            foreach (var c in clients) c.Dispose();
            foreach (var n in nodes) n.Dispose();
            File.Delete(hocon);
            await db.ClearCacheAsync();
            await RedisKeys.DeleteAsync(context.RedisConfiguration, prefix);
        }
    }

    private static async Task<TimeSpan> RunAllAsync(IReadOnlyList<JsonObject> specs, IReadOnlyList<FlowKitClient> submitters,
        IReadOnlyList<string> ids, IReadOnlyList<FlowKitClient> pollers)
    {
        var clock = Stopwatch.StartNew();
        foreach (var (spec, k) in specs.Select((s, k) => (s, k))) await submitters[k % submitters.Count].RunAsync(spec);
        var pending = ids.ToHashSet();
        while (pending.Count > 0)
        {
            foreach (var id in pending.ToList())
            {
                var state = await pollers[0].StateAsync(id);
                if (state == "completed") pending.Remove(id);
                else if (state is not ("queued" or "executing")) throw new InvalidOperationException($"{id} ended {state}");
            }
            if (clock.Elapsed > TimeSpan.FromMinutes(8)) throw new TimeoutException("healthy run did not complete in 8 minutes");
            await Task.Delay(100);
        }
        return clock.Elapsed;
    }

    /// <summary>Waits until the statements run (up to 20 s), then picks the node that runs most of them.</summary>
    private static async Task<(NodeProcess Victim, int OnVictim, string Situation)> AwaitExecutingAsync(BenchDatabase db, IReadOnlyList<NodeProcess> nodes,
        Func<Task<string>> describeStates)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        List<int> ports;
        while (true)
        {
            // Filtered here rather than in SQL: only client backends (parallel workers carry the same name, no port)
            // whose application_name is a query's (flowakka:<id>) and that are running a statement.
            await using var command = db.DataSource.CreateCommand(
                "SELECT coalesce(application_name, ''), coalesce(state, ''), coalesce(backend_type, ''), coalesce(client_port, -1) " +
                "FROM pg_stat_activity WHERE datname = current_database()");
            ports = [];
            await using (var reader = await command.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    if (reader.GetString(0).StartsWith("flowakka:", StringComparison.Ordinal) && reader.GetString(1) == "active"
                        && reader.GetString(2) == "client backend" && reader.GetInt32(3) > 0)
                        ports.Add(reader.GetInt32(3));
                }
            }
            // The node's worker pools bound how many run at once (5 per node today, see workers.conf); kill once most slots are busy.
            if (ports.Count >= 10 || DateTime.UtcNow > deadline) break;
            if (Environment.GetEnvironmentVariable("FLOWAKKA_BENCH_DEBUG") is not null)
            {
                await using var all = db.DataSource.CreateCommand(
                    "SELECT string_agg(application_name || '/' || coalesce(state, '-') || '/' || backend_type, ', ') FROM pg_stat_activity WHERE datname = current_database()");
                Console.Error.WriteLine($"   pg: {await all.ExecuteScalarAsync()}");
                Console.Error.WriteLine($"   states: {await describeStates()}");
            }
            await Task.Delay(100);
        }
        var perNode = nodes.Select(n => (Node: n, Count: n.LocalPorts().Intersect(ports).Count())).ToList();
        var victim = perNode.OrderByDescending(p => p.Count).First();
        return (victim.Node, victim.Count, $"{ports.Count} statements running (per node {string.Join("/", perNode.Select(p => p.Count))})");
    }

    private static async Task AwaitAllCompletedAsync(IReadOnlyList<string> ids, IReadOnlyList<NodeProcess> survivors, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        // One client per query, so a poll stuck on a shard that is still being moved does not hold up the others.
        await Task.WhenAll(ids.Select(async (id, k) =>
        {
            using var client = new FlowKitClient(new FlowKitClientOptions
            {
                Endpoint = survivors[k % survivors.Count].Endpoint, Timeout = TimeSpan.FromSeconds(30),
            });
            while (true)
            {
                string state;
                try
                {
                    state = await client.StateAsync(id);
                }
                catch (TimeoutException)
                {
                    state = "(timeout)";
                }
                if (state == "completed") return;
                if (state is "errored" or "cancelled") throw new InvalidOperationException($"{id} ended {state} after the kill");
                if (DateTime.UtcNow > deadline) throw new TimeoutException($"{id} still {state} {timeout} after the kill");
                await Task.Delay(100);
            }
        }));
    }

    private static async Task AwaitClusterAsync(IReadOnlyList<NodeProcess> nodes)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (!nodes.All(n => n.Log.Any(l => l.Contains(" is Up (cluster of", StringComparison.Ordinal))))
        {
            if (nodes.FirstOrDefault(n => n.HasExited) is { } dead)
                throw new InvalidOperationException($"node {dead.Pid} exited: {string.Join(" | ", dead.Log.TakeLast(5))}");
            if (DateTime.UtcNow > deadline) throw new TimeoutException("the 3 node processes did not come Up within 90 s");
            await Task.Delay(100);
        }
        await Task.Delay(1000); // let the leader see all three Up before shards are allocated
    }

    private static async Task BuildNodeAsync(string root, string dll)
    {
        var info = new ProcessStartInfo("dotnet", ["build", "-c", "Release", Path.Combine(root, "src", "FlowAkka.Node"), "-nologo", "-v", "q"])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        using var build = Process.Start(info)!;
        var output = await build.StandardOutput.ReadToEndAsync();
        await build.WaitForExitAsync();
        if (build.ExitCode == 0) return;
        if (!File.Exists(dll)) throw new InvalidOperationException($"dotnet build src/FlowAkka.Node failed: {output[^Math.Min(400, output.Length)..]}");
        Console.Error.WriteLine($"   building src/FlowAkka.Node failed; using the existing {dll} ({File.GetLastWriteTimeUtc(dll):u})");
    }

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "FlowAkka.sln"))) dir = dir.Parent;
        return dir?.FullName ?? Directory.GetCurrentDirectory();
    }

    private static string Env(string name, string fallback) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } v ? v : fallback;
}
