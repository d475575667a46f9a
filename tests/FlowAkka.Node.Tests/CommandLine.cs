// Runs one `flowakka` command in-process from a command line, capturing what it prints.
using System.CommandLine;

namespace FlowAkka.Node.Tests;

public sealed record CommandRun(int ExitCode, string Output, string Error);

public static class CommandLine
{
    public static async Task<CommandRun> Run(Command command, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await new RootCommand { command }.Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return new CommandRun(exit, output.ToString(), error.ToString());
    }
}

public static class FileModes
{
    /// <summary>Mode 0600 (owner read/write only). Windows has no POSIX modes: true there.</summary>
    public static bool IsOwnerOnly(string path) =>
        OperatingSystem.IsWindows() || File.GetUnixFileMode(path) == (UnixFileMode.UserRead | UnixFileMode.UserWrite);
}
