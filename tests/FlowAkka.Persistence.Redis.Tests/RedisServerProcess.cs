// A private redis-server on a free loopback port with its own data dir (AOF, fsync always), for tests that kill
// and restart Redis. The shared server on 6379 is never touched.
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using StackExchange.Redis;

namespace FlowAkka.Persistence.Redis.Tests;

public sealed class RedisServerProcess : IAsyncDisposable
{
    private readonly string _dir;
    private Process? _process;

    private RedisServerProcess(int port, string dir)
    {
        Port = port;
        _dir = dir;
    }

    public int Port { get; }

    public string ConfigurationString => $"127.0.0.1:{Port}";

    public static async Task<RedisServerProcess> StartAsync()
    {
        var server = Reserve();
        await server.RestartAsync();
        return server;
    }

    /// <summary>A free port and data dir with no server running yet (for "Redis is down at start" tests).</summary>
    public static RedisServerProcess Reserve()
    {
        var dir = Path.Combine(Path.GetTempPath(), "flowakka-redis-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return new RedisServerProcess(FreePort(), dir);
    }

    /// <summary>Starts the server (again) on the same port and data dir, and waits until it answers PING.</summary>
    public async Task RestartAsync()
    {
        var binary = File.Exists("/usr/bin/redis-server") ? "/usr/bin/redis-server" : "redis-server";
        var start = new ProcessStartInfo(binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "--port", Port.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "yes",
                     "--appendfsync", "always", "--dir", _dir })
            start.ArgumentList.Add(arg);
        _process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start.");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await using var mux = await ConnectionMultiplexer.ConnectAsync($"{ConfigurationString},connectTimeout=500");
                await mux.GetDatabase().PingAsync();
                return;
            }
            catch (RedisConnectionException) when (attempt < 100)
            {
                await Task.Delay(100);
            }
        }
    }

    /// <summary>SIGKILL: no graceful shutdown, like a crash.</summary>
    public async Task KillAsync()
    {
        if (_process is null || _process.HasExited) return;
        _process.Kill();
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process?.Dispose();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
