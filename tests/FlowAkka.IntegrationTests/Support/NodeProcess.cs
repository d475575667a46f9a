// One real `flowakka serve` process (dotnet flowakka.dll serve) with its own environment, log file and signals.
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace FlowAkka.IntegrationTests.Support;

public sealed record NodePorts(int Zmq, int Pbm, int Remote);

public sealed class NodeProcess : IAsyncDisposable
{
    public const int SigKill = 9, SigTerm = 15, SigCont = 18, SigStop = 19;

    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly List<string> _lines = [];

    private NodeProcess(int index, NodePorts ports, Process process, StreamWriter log)
    {
        Index = index;
        Ports = ports;
        _process = process;
        _log = log;
    }

    public int Index { get; }

    public NodePorts Ports { get; }

    public int Pid => _process.Id;

    public string Address => $"akka.tcp://flowakka@127.0.0.1:{Ports.Remote}";

    public string ZmqEndpoint => $"tcp://127.0.0.1:{Ports.Zmq}";

    public bool HasExited => _process.HasExited;

    public int? ExitCode => _process.HasExited ? _process.ExitCode : null;

    public static NodeProcess Start(int index, NodePorts ports, IReadOnlyDictionary<string, string> environment, string logFile)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(NodeBinaries.FlowAkkaDll)!,
        };
        start.ArgumentList.Add(NodeBinaries.FlowAkkaDll);
        start.ArgumentList.Add("serve");
        // Nothing of the test runner's FlowAkka/FlowKit settings leaks into a node: it gets exactly its own.
        foreach (var key in start.Environment.Keys.ToList())
        {
            if (key.StartsWith("FLOW", StringComparison.Ordinal) || key.StartsWith("REDIS_", StringComparison.Ordinal)
                || key.StartsWith("DB_", StringComparison.Ordinal))
                start.Environment.Remove(key);
        }
        foreach (var (key, value) in environment) start.Environment[key] = value;
        start.Environment["DOTNET_gcServer"] = "0"; // 2 cores shared by many processes

        var log = new StreamWriter(logFile, append: true) { AutoFlush = true };
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var node = new NodeProcess(index, ports, process, log);
        process.OutputDataReceived += (_, e) => node.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => node.OnLine(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        node.OnLine($"---- started pid {process.Id}: zmq {ports.Zmq}, pbm {ports.Pbm}, remoting {ports.Remote}");
        return node;
    }

    private void OnLine(string? line)
    {
        if (line is null) return;
        lock (_lines)
        {
            _lines.Add(line);
            _log.WriteLine(line);
        }
    }

    public bool LogContains(string text)
    {
        lock (_lines) return _lines.Any(l => l.Contains(text, StringComparison.Ordinal));
    }

    public string LogTail(int lines = 30)
    {
        lock (_lines) return string.Join(Environment.NewLine, _lines.TakeLast(lines));
    }

    public void Signal(int signal)
    {
        if (_process.HasExited) return;
        if (Kill(_process.Id, signal) != 0) throw new InvalidOperationException($"kill({_process.Id}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
        OnLine($"---- test sent signal {signal}");
    }

    /// <summary>True when the process exited within the timeout.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await WaitForExitAsync(TimeSpan.FromSeconds(10));
        }
        _process.Dispose();
        lock (_lines) _log.Dispose();
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
