// `pbm [--token X] [host:port] [command ...]`: one-shot mode when a command is given, interactive mode otherwise.
using System.Text;
using System.Text.RegularExpressions;
using FlowAkka.Management.Wire;

namespace FlowAkka.Pbm;

public sealed partial class PbmCli(PbmConsole console, string? environmentToken = null)
{
    public const string DefaultEndpoint = "127.0.0.1:9110";

    /// <summary>Exit codes: 0 success, 1 the command failed (error response), 2 usage or connection error, 3 connection lost.</summary>
    public const int ExitOk = 0, ExitCommandFailed = 1, ExitUsage = 2, ExitConnectionLost = 3;

    private readonly List<string> _history = [];
    private CancellationTokenSource? _running;

    /// <summary>Ctrl+C: cancels the running command if there is one (true), otherwise lets the caller exit (false).</summary>
    public bool Interrupt()
    {
        var running = Volatile.Read(ref _running);
        if (running is null)
            return false;
        running.Cancel();
        return true;
    }

    public async Task<int> RunAsync(string[] args)
    {
        string? token = environmentToken;
        var rest = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (arg == "--token")
            {
                if (i + 1 >= args.Length)
                {
                    await console.Error.WriteLineAsync("--token needs a value").ConfigureAwait(false);
                    return ExitUsage;
                }

                token = args[++i];
            }
            else if (arg.StartsWith("--token=", StringComparison.Ordinal))
            {
                token = arg["--token=".Length..];
            }
            else if (rest.Count == 0 && arg is "-h" or "--help")
            {
                await PrintUsageAsync().ConfigureAwait(false);
                return ExitOk;
            }
            else
            {
                rest.Add(arg);
            }
        }

        if (args.Length == 0)
            await PrintUsageAsync().ConfigureAwait(false);

        var endpoint = DefaultEndpoint;
        if (rest.Count > 0 && EndpointPattern().IsMatch(rest[0]))
        {
            endpoint = rest[0];
            rest.RemoveAt(0);
        }

        var (host, port) = SplitEndpoint(endpoint);
        PbmConnection connection;
        try
        {
            connection = await PbmConnection.ConnectAsync(host, port, token, CancellationToken.None).ConfigureAwait(false);
        }
        catch (PbmConnectionException e)
        {
            await WriteErrorAsync(e.Message).ConfigureAwait(false);
            return ExitUsage;
        }

        await using (connection.ConfigureAwait(false))
        {
            return rest.Count > 0
                ? await OneShotAsync(connection, JoinArguments(rest)).ConfigureAwait(false)
                : await InteractiveAsync(connection, endpoint).ConfigureAwait(false);
        }
    }

    private async Task<int> OneShotAsync(PbmConnection connection, string commandLine)
    {
        if (IsHelp(commandLine, out var topic))
            return await PrintHelpAsync(connection.Palettes, topic).ConfigureAwait(false) ? ExitOk : ExitCommandFailed;

        var outcome = await ExecuteAsync(connection, commandLine).ConfigureAwait(false);
        return outcome.Status switch
        {
            CommandStatus.Completed => ExitOk,
            CommandStatus.Failed => ExitCommandFailed,
            _ => ExitConnectionLost,
        };
    }

    private async Task<int> InteractiveAsync(PbmConnection connection, string endpoint)
    {
        await console.Out.WriteLineAsync($"successfully connected to {endpoint}").ConfigureAwait(false);
        await console.Out.WriteLineAsync("Commands downloaded from server. type `help` to see what's available").ConfigureAwait(false);

        var prompt = $"[{endpoint}] pbm> ";
        var completer = new Completer(connection.Palettes);
        var editor = console.IsTerminal ? new LineEditor(prompt, _history, completer) : null;
        while (true)
        {
            Task<string?> read;
            if (editor is not null)
            {
                read = Task.Run(editor.ReadLine);
            }
            else
            {
                await console.Out.WriteAsync(prompt).ConfigureAwait(false);
                read = console.In.ReadLineAsync();
            }

            // The host may go away while we wait for input: report it right away, like pbm.
            if (await Task.WhenAny(read, connection.Terminated).ConfigureAwait(false) != read)
            {
                await console.Out.WriteLineAsync().ConfigureAwait(false);
                await WriteErrorAsync("connection to host terminated.").ConfigureAwait(false);
                return ExitConnectionLost;
            }

            var line = (await read.ConfigureAwait(false))?.Trim();
            if (line is null)
                return ExitOk;
            if (editor is null)
                await console.Out.WriteLineAsync(line).ConfigureAwait(false);
            if (line.Length == 0)
                continue;
            if (editor is null)
                _history.Add(line);

            if (line is "exit" or "quit")
                return ExitOk;
            if (line == "history")
            {
                for (var i = 0; i < _history.Count; i++)
                    await console.Out.WriteLineAsync($"{i + 1,4}  {_history[i]}").ConfigureAwait(false);
                continue;
            }

            if (IsHelp(line, out var topic))
            {
                await PrintHelpAsync(connection.Palettes, topic).ConfigureAwait(false);
                continue;
            }

            var outcome = await ExecuteAsync(connection, line).ConfigureAwait(false);
            if (outcome.Status == CommandStatus.Disconnected)
            {
                await WriteErrorAsync("connection to host terminated.").ConfigureAwait(false);
                return ExitConnectionLost;
            }
        }
    }

    private async Task<CommandOutcome> ExecuteAsync(PbmConnection connection, string commandLine)
    {
        using var running = new CancellationTokenSource();
        Volatile.Write(ref _running, running);
        try
        {
            var outcome = await connection.ExecuteAsync(commandLine, text => console.Out.WriteLine(text), running.Token)
                .ConfigureAwait(false);
            if (outcome.Status == CommandStatus.Failed)
                await WriteErrorAsync(outcome.Error ?? "command failed").ConfigureAwait(false);
            else if (outcome.Status == CommandStatus.Disconnected)
                await WriteErrorAsync("connection to host terminated.").ConfigureAwait(false);
            return outcome;
        }
        finally
        {
            Volatile.Write(ref _running, null);
        }
    }

    private async Task<bool> PrintHelpAsync(IReadOnlyList<WirePalette> palettes, string? topic)
    {
        var (text, found) = HelpText.Render(palettes, topic);
        if (found)
            await console.Out.WriteLineAsync(text).ConfigureAwait(false);
        else
            await WriteErrorAsync(text).ConfigureAwait(false);
        return found;
    }

    private async Task PrintUsageAsync()
    {
        await console.Out.WriteLineAsync("Usage: pbm [host:port] [command]").ConfigureAwait(false);
        await console.Out.WriteLineAsync("       pbm [--token X] [host:port] [command]   (or set PBM_TOKEN)").ConfigureAwait(false);
        await console.Out.WriteLineAsync($"Connects to the default [{DefaultEndpoint}] when no host:port is given.").ConfigureAwait(false);
    }

    private async Task WriteErrorAsync(string text)
    {
        if (console.IsTerminal)
            await console.Error.WriteLineAsync($"\u001b[31m{text}\u001b[0m").ConfigureAwait(false);
        else
            await console.Error.WriteLineAsync(text).ConfigureAwait(false);
    }

    private static bool IsHelp(string line, out string? topic)
    {
        topic = null;
        if (line == "help")
            return true;
        if (!line.StartsWith("help ", StringComparison.Ordinal))
            return false;
        topic = line["help ".Length..].Trim();
        return true;
    }

    private static (string Host, int Port) SplitEndpoint(string endpoint)
    {
        var colon = endpoint.LastIndexOf(':');
        return (endpoint[..colon].Trim('[', ']'), int.Parse(endpoint[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>Re-quotes arguments the shell already split, so `pbm ... query show "a b"` reaches the host intact.</summary>
    internal static string JoinArguments(IEnumerable<string> args)
    {
        var builder = new StringBuilder();
        foreach (var arg in args)
        {
            if (builder.Length > 0)
                builder.Append(' ');
            if (arg.Length > 0 && !arg.Any(c => char.IsWhiteSpace(c) || c is '"' or '\''))
                builder.Append(arg);
            else
                builder.Append('"').Append(arg.Replace("\\", "\\\\").Replace("\"", "\\\"")).Append('"');
        }

        return builder.ToString();
    }

    [GeneratedRegex(@"^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.\-]+):\d{1,5}$")]
    private static partial Regex EndpointPattern();
}
