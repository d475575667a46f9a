// Base class for palette handlers: maps command names to handlers; the host creates one per palette per connection.
using Akka.Actor;
using Akka.Event;

namespace FlowAkka.Management;

/// <summary>
/// Receives <see cref="ParsedCommand"/>s from the connection's session actor and replies to <c>Sender</c> with
/// <see cref="CommandResponse"/>s (<c>Final = false</c> while streaming, then a final one) or one
/// <see cref="ErroredCommandResponse"/>. When pbm cancels a streaming command (Ctrl+C) or disconnects, the host stops
/// this actor, so subscriptions made in a handler should be released in <see cref="PostStop"/>.
/// </summary>
public abstract class CommandHandlerActor : ReceiveActor
{
    private readonly Dictionary<string, Action<ParsedCommand>> _handlers = new(StringComparer.OrdinalIgnoreCase);
    private readonly CancellationTokenSource _lifetime = new();

    protected CommandHandlerActor(CommandPalette palette)
    {
        Palette = palette;
        Receive<ParsedCommand>(Dispatch);
    }

    protected CommandPalette Palette { get; }

    protected ILoggingAdapter Log { get; } = Context.GetLogger();

    /// <summary>Cancelled when this handler stops: pass it to async work so cancelled commands stop promptly.</summary>
    protected CancellationToken Lifetime => _lifetime.Token;

    /// <summary>A handler that replies to <c>Sender</c> itself (synchronously or by keeping <c>Sender</c> for streaming).</summary>
    protected void Process(string commandName, Action<ParsedCommand> handler)
    {
        if (Palette.Find(commandName) is null)
            throw new ArgumentException($"'{commandName}' is not a command of palette '{Palette.ModuleName}'", nameof(commandName));
        _handlers[commandName] = handler;
    }

    /// <summary>An async handler whose <see cref="CommandResult"/> becomes the response. It must not touch <c>Context</c> after awaiting.</summary>
    protected void ProcessAsync(string commandName, Func<ParsedCommand, CancellationToken, Task<CommandResult>> handler) =>
        Process(commandName, command =>
        {
            var replyTo = Sender;
            var self = Self;
            _ = RunAsync(command, replyTo, self, async () =>
            {
                var result = await handler(command, Lifetime).ConfigureAwait(false);
                foreach (var line in result.Lines)
                    replyTo.Tell(new CommandResponse(line, false), self);
                replyTo.Tell(result.Error is null ? CommandResponse.Empty : new ErroredCommandResponse(result.Error), self);
            });
        });

    /// <summary>An async handler whose lines are streamed to pbm as they are produced, then ended.</summary>
    protected void ProcessStream(string commandName, Func<ParsedCommand, CancellationToken, IAsyncEnumerable<string>> handler) =>
        Process(commandName, command =>
        {
            var replyTo = Sender;
            var self = Self;
            _ = RunAsync(command, replyTo, self, async () =>
            {
                await foreach (var line in handler(command, Lifetime).WithCancellation(Lifetime).ConfigureAwait(false))
                    replyTo.Tell(new CommandResponse(line, false), self);
                replyTo.Tell(CommandResponse.Empty, self);
            });
        });

    /// <summary>Replies with a complete (final) text response.</summary>
    protected void Reply(string text) => Sender.Tell(new CommandResponse(text, true));

    protected void ReplyError(string text) => Sender.Tell(new ErroredCommandResponse(text));

    protected override void PostStop()
    {
        // Not disposed: detached command tasks may still read the token after this actor has stopped.
        _lifetime.Cancel();
        base.PostStop();
    }

    private void Dispatch(ParsedCommand command)
    {
        if (!_handlers.TryGetValue(command.Name, out var handler))
        {
            ReplyError($"`{Palette.ModuleName} {command.Name}` is not implemented by this host.");
            return;
        }

        try
        {
            handler(command);
        }
        catch (CommandArgumentException e)
        {
            ReplyError(e.Message);
        }
        catch (Exception e)
        {
            Log.Warning(e, "pbm command `{0} {1}` failed", Palette.ModuleName, command.Name);
            ReplyError($"`{Palette.ModuleName} {command.Name}` failed: {e.Message}");
        }
    }

    private async Task RunAsync(ParsedCommand command, IActorRef replyTo, IActorRef self, Func<Task> work)
    {
        try
        {
            await work().ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (Lifetime.IsCancellationRequested)
        {
            // The command was cancelled by pbm (the handler stopped): nobody is waiting for a reply.
        }
        catch (CommandArgumentException e)
        {
            replyTo.Tell(new ErroredCommandResponse(e.Message), self);
        }
        catch (Exception e)
        {
            replyTo.Tell(new ErroredCommandResponse($"`{Palette.ModuleName} {command.Name}` failed: {e.Message}"), self);
        }
    }
}

/// <summary>
/// Registers a palette with the host: the palette clients download and the props of the actor that handles it
/// (one instance per connection). <see cref="OnRegister"/> can start shared helper actors once.
/// </summary>
public abstract class CommandPaletteHandler(CommandPalette palette)
{
    public CommandPalette Palette { get; } = palette;

    public abstract Props HandlerProps { get; }

    public virtual void OnRegister(PbmHost host)
    {
    }

    public static CommandPaletteHandler Create(CommandPalette palette, Props handlerProps) =>
        new FixedPropsHandler(palette, handlerProps);

    private sealed class FixedPropsHandler(CommandPalette palette, Props props) : CommandPaletteHandler(palette)
    {
        public override Props HandlerProps => props;
    }
}
