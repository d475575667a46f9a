using FlowAkka.Management.Palettes;

namespace FlowAkka.Management.Tests;

public sealed class CommandParserSpecs
{
    private static readonly CommandPalette Messages = new(
        "msg",
        "test palette",
        new CommandDefinition("write", "writes a message",
            CommandArgument.Required("message", "text", "-m", "--message"),
            CommandArgument.Option("count", "times", "-c"),
            CommandArgument.Flag("loud", "upper-case", "--loud")),
        new CommandDefinition("show", "shows one",
            new CommandArgument("id", "id", ["--id"], Mandatory: true, Positional: true)));

    private readonly CommandParser _parser = new(Messages, ActorCommands.Palette);

    [Fact]
    public void Switch_values_flags_and_long_forms_are_read()
    {
        Assert.True(_parser.TryParse("msg write --message hi -c 3 --loud", out var command, out var error), error);
        Assert.Equal("write", command!.Name);
        Assert.Equal("hi", command.Value("message"));
        Assert.Equal(3, command.IntValue("count", 1));
        Assert.True(command.Flag("loud"));
    }

    [Fact]
    public void Quoted_values_keep_spaces_and_escaped_quotes()
    {
        Assert.True(_parser.TryParse("msg write -m \"hello big \\\"world\\\"\" -c '2'", out var command, out var error), error);
        Assert.Equal("hello big \"world\"", command!.Value("message"));
        Assert.Equal("2", command.Value("count"));
    }

    [Fact]
    public void Positional_arguments_can_be_given_without_their_switch()
    {
        Assert.True(_parser.TryParse("msg show 42", out var command, out _));
        Assert.Equal("42", command!.Value("id"));
        Assert.True(_parser.TryParse("msg show --id=43", out command, out _));
        Assert.Equal("43", command!.Value("id"));
    }

    [Fact]
    public void Missing_mandatory_argument_is_an_error_naming_it()
    {
        Assert.False(_parser.TryParse("msg write -c 3", out _, out var error));
        Assert.Contains("Missing mandatory argument 'message' (-m/--message)", error);
    }

    [Fact]
    public void Unknown_module_or_command_is_an_error_with_a_help_hint()
    {
        Assert.False(_parser.TryParse("nope show", out _, out var error));
        Assert.Equal("Unknown command 'nope'. Type `help` to see the available commands.", error);
        Assert.False(_parser.TryParse("msg erase", out _, out error));
        Assert.Contains("Type `help msg`", error);
    }

    [Fact]
    public void Unknown_switch_missing_value_and_bad_quotes_are_errors()
    {
        Assert.False(_parser.TryParse("msg write -m hi -x 1", out _, out var error));
        Assert.Contains("Unknown argument '-x'", error);
        Assert.False(_parser.TryParse("msg write -m", out _, out error));
        Assert.Contains("needs a value", error);
        Assert.False(_parser.TryParse("msg write -m \"unterminated", out _, out error));
        Assert.Contains("Unterminated quote", error);
    }

    [Fact]
    public void Malformed_integer_argument_fails_the_command_not_the_parser()
    {
        Assert.True(_parser.TryParse("actor hierarchy -d lots", out var command, out _));
        var e = Assert.Throws<CommandArgumentException>(() => command!.IntValue("depth", 4, 1, 64));
        Assert.Contains("'depth' must be an integer", e.Message);
    }
}
