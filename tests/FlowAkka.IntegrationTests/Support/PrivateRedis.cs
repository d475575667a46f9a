// A private redis-server (free loopback port, own data dir, AOF with fsync always) for tests that stop Redis.
// The shared server on 6379 is never touched.
using System.Diagnostics;
using StackExchange.Redis;

namespace FlowAkka.IntegrationTests.Support;

public sealed class PrivateRedis : IAsyncDisposable
{
    private readonly string _dir;
    private Process? _process;

    private PrivateRedis(int port, string dir)
    {
        Port = port;
        _dir = dir;
    }

    public int Port { get; }

    public string ConfigurationString => $"127.0.0.1:{Port},abortConnect=false,connectTimeout=2000";

    public static async Task<PrivateRedis> StartAsync()
    {
        var dir = Path.Combine(Path.GetTempPath(), "flowakka-itest-redis-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        var redis = new PrivateRedis(TestEnvironment.FreePort(), dir);
        await redis.StartAgainAsync();
        return redis;
    }

    /// <summary>Starts the server on the same port and data dir (it replays its AOF) and waits for PING.</summary>
    public async Task StartAgainAsync()
    {
        var binary = File.Exists("/usr/bin/redis-server") ? "/usr/bin/redis-server" : "redis-server";
        var start = new ProcessStartInfo(binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "--port", Port.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "yes",
                     "--appendfsync", "always", "--dir", _dir })
            start.ArgumentList.Add(arg);
        _process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start.");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await TestEnvironment.EventuallyAsync(async () =>
        {
            await using var mux = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{Port},connectTimeout=500");
            await mux.GetDatabase().PingAsync();
            return true;
        }, TimeSpan.FromSeconds(20), $"private redis-server on {Port} to answer PING", TimeSpan.FromMilliseconds(100));
    }

    /// <summary>SIGKILL: like a crash; AOF with fsync always keeps every acknowledged write.</summary>
    public async Task StopAsync()
    {
        if (_process is null || _process.HasExited) return;
        _process.Kill();
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process?.Dispose();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
