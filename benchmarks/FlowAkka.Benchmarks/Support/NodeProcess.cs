// A real `flowakka serve` process for the failover benchmark: free ports, per-node environment, captured log,
// SIGKILL. (The integration tests have their own harness; benchmarks may not share code with a test project.)
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace FlowAkka.Benchmarks.Support;

public sealed class NodeProcess : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _log = new();

    private NodeProcess(Process process, int zmqPort, int remotePort)
    {
        _process = process;
        ZmqPort = zmqPort;
        RemotePort = remotePort;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) _log.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) _log.Enqueue(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public int ZmqPort { get; }

    public int RemotePort { get; }

    public int Pid => _process.Id;

    public string Endpoint => $"tcp://127.0.0.1:{ZmqPort}";

    public string AkkaAddress => $"akka.tcp://flowakka@127.0.0.1:{RemotePort}";

    public bool HasExited => _process.HasExited;

    public IReadOnlyCollection<string> Log => _log.ToArray();

    public static string NodeDll(string repoRoot) =>
        Path.Combine(repoRoot, "src", "FlowAkka.Node", "bin", "Release", "net10.0", "flowakka.dll");

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static NodeProcess Start(string dll, int remotePort, string seed, IReadOnlyDictionary<string, string> environment)
    {
        var zmqPort = FreePort();
        var info = new ProcessStartInfo("dotnet", [dll, "serve"])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var (name, value) in environment) info.Environment[name] = value;
        info.Environment["FLOWMACHINE_PORT"] = zmqPort.ToString(CultureInfo.InvariantCulture);
        info.Environment["FLOWAKKA_ZMQ_BIND"] = "127.0.0.1";
        info.Environment["FLOWAKKA_HOSTNAME"] = "127.0.0.1";
        info.Environment["FLOWAKKA_REMOTE_PORT"] = remotePort.ToString(CultureInfo.InvariantCulture);
        info.Environment["FLOWAKKA_PBM_PORT"] = FreePort().ToString(CultureInfo.InvariantCulture);
        info.Environment["FLOWAKKA_SEED_NODES"] = seed;
        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start dotnet");
        return new NodeProcess(process, zmqPort, remotePort);
    }

    /// <summary>SIGKILL: no coordinated shutdown, no handoff, connections cut as by a crash.</summary>
    public void Kill()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: false);
    }

    /// <summary>The local TCP ports of this process's sockets (from /proc), to tell which node runs which statement.</summary>
    public HashSet<int> LocalPorts()
    {
        var inodes = new HashSet<string>();
        try
        {
            foreach (var fd in Directory.EnumerateFileSystemEntries($"/proc/{Pid}/fd"))
            {
                var target = new FileInfo(fd).LinkTarget;
                if (target is not null && target.StartsWith("socket:[", StringComparison.Ordinal)) inodes.Add(target[8..^1]);
            }
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        var ports = new HashSet<int>();
        foreach (var table in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
        {
            if (!File.Exists(table)) continue;
            foreach (var line in File.ReadLines(table).Skip(1))
            {
                var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length < 10 || !inodes.Contains(parts[9])) continue;
                var local = parts[1];
                ports.Add(int.Parse(local[(local.LastIndexOf(':') + 1)..], NumberStyles.HexNumber, CultureInfo.InvariantCulture));
            }
        }
        return ports;
    }

    public void Dispose()
    {
        try { Kill(); _process.WaitForExit(5000); }
        catch (InvalidOperationException) { }
        _process.Dispose();
    }
}
