// The console pbm talks to; tests pass readers/writers instead of the process console.
namespace FlowAkka.Pbm;

/// <param name="IsTerminal">True when stdin is an interactive terminal: enables the line editor (history keys, Tab completion) and colours.</param>
public sealed record PbmConsole(TextReader In, TextWriter Out, TextWriter Error, bool IsTerminal)
{
    public static PbmConsole System() =>
        new(Console.In, Console.Out, Console.Error, !Console.IsInputRedirected && !Console.IsOutputRedirected);
}
