// What a command handler replies with: streamed text chunks ending in a final marker, or an error.
namespace FlowAkka.Management;

/// <summary>
/// A chunk of a command's output. Streaming handlers send any number of <c>Final = false</c> chunks and then one
/// final chunk (often <see cref="Empty"/>); the host turns the final chunk into the wire's end marker.
/// </summary>
public sealed record CommandResponse(string Text, bool Final = true)
{
    public static readonly CommandResponse Empty = new(string.Empty, true);
}

/// <summary>A failed command: printed as an error by pbm, ends the command, makes one-shot pbm exit non-zero.</summary>
public sealed record ErroredCommandResponse(string Text);

/// <summary>
/// A text result for services behind a palette (e.g. <see cref="IQueryAdministration"/>): lines to print,
/// or an error message that fails the command.
/// </summary>
public sealed record CommandResult(IReadOnlyList<string> Lines, string? Error = null)
{
    public bool Succeeded => Error is null;

    public static CommandResult Ok(params string[] lines) => new(lines);

    public static CommandResult Ok(IEnumerable<string> lines) => new(lines.ToArray());

    public static CommandResult Failed(string error) => new([], error);
}
