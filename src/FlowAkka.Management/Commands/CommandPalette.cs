// The self-describing command model the host sends to pbm on connect: palettes of commands with their arguments.
using System.Collections.Immutable;

namespace FlowAkka.Management;

/// <summary>
/// One argument of a command. <paramref name="Switches"/> are the spellings a user types (<c>-d</c>, <c>--depth</c>);
/// a <paramref name="IsFlag"/> argument takes no value; a <paramref name="Positional"/> argument may also be given
/// without its switch (<c>query show 42</c>). <paramref name="DefaultValues"/> feed pbm's Tab completion.
/// </summary>
public sealed record CommandArgument(
    string Name,
    string Description,
    IReadOnlyList<string> Switches,
    bool Mandatory = false,
    bool IsFlag = false,
    bool Positional = false,
    IReadOnlyList<string>? DefaultValues = null,
    bool AllowMultiple = false)
{
    public IReadOnlyList<string> DefaultValues { get; init; } = DefaultValues ?? [];

    public static CommandArgument Option(string name, string description, params string[] switches) =>
        new(name, description, switches);

    public static CommandArgument Required(string name, string description, params string[] switches) =>
        new(name, description, switches, Mandatory: true);

    public static CommandArgument Flag(string name, string description, params string[] switches) =>
        new(name, description, switches, IsFlag: true);

    public CommandArgument WithDefaultValues(params string[] values) => this with { DefaultValues = values };

    /// <summary>The spelling used in help and error messages, e.g. <c>-d/--depth</c>.</summary>
    public string Usage => Switches.Count == 0 ? $"<{Name}>" : string.Join('/', Switches);
}

/// <summary>A command inside a palette: <c>&lt;module&gt; &lt;Name&gt; [arguments]</c>.</summary>
public sealed record CommandDefinition(string Name, string Description, IReadOnlyList<CommandArgument> Arguments)
{
    public CommandDefinition(string name, string description, params CommandArgument[] arguments)
        : this(name, description, (IReadOnlyList<CommandArgument>)arguments)
    {
    }

    public CommandArgument? FindBySwitch(string token) =>
        Arguments.FirstOrDefault(a => a.Switches.Any(s => string.Equals(s, token, StringComparison.Ordinal)));

    /// <summary>One-line synopsis for help: <c>hierarchy [-d/--depth &lt;depth&gt;] [-s/--start &lt;start&gt;]</c>.</summary>
    public string Synopsis
    {
        get
        {
            var parts = Arguments.Select(a =>
            {
                var spelled = a.IsFlag ? a.Usage : $"{a.Usage} <{a.Name}>";
                if (a.Positional)
                    spelled = $"<{a.Name}>";
                return a.Mandatory ? spelled : $"[{spelled}]";
            });
            return string.Join(' ', new[] { Name }.Concat(parts));
        }
    }
}

/// <summary>A named group of commands; the module name is the first word a user types (<c>cluster show</c>).</summary>
public sealed record CommandPalette(string ModuleName, string Description, ImmutableArray<CommandDefinition> Commands)
{
    public CommandPalette(string moduleName, string description, params CommandDefinition[] commands)
        : this(moduleName, description, commands.ToImmutableArray())
    {
    }

    public CommandDefinition? Find(string commandName) =>
        Commands.FirstOrDefault(c => string.Equals(c.Name, commandName, StringComparison.OrdinalIgnoreCase));
}
