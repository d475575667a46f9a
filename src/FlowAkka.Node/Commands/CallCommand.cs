// `flowakka call`: send one action to a FlowKit-protocol server and print the reply, for scripts, health checks and
// tests. Plain or CURVE, REQ or DEALER, optionally signed with a client HMAC key.
using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using FlowAkka.Cluster.Client;
using FlowAkka.Cluster.Ingress.Authentication;
using FlowAkka.Node.Security;
using FlowAkka.Protocol;
using FlowAkka.Protocol.Json;

namespace FlowAkka.Node.Commands;

public static class CallCommand
{
    public const int Success = 0;
    public const int ErrorReply = 1;
    public const int UsageOrTimeout = 2;

    private const int Z85KeyLength = 40;

    public static Command Create()
    {
        // Everything is read as text and checked here, so that every usage error exits with 2 (parse errors exit 1).
        var action = new Argument<string?>("action") { Description = "The action, e.g. ping, run_query, poll_query.", Arity = ArgumentArity.ZeroOrOne };
        var parameters = new Argument<string?>("params") { Description = "The params as a JSON object (default {}).", Arity = ArgumentArity.ZeroOrOne };
        var endpoint = new Option<string>("--endpoint") { Description = "Server address.", DefaultValueFactory = _ => "tcp://127.0.0.1:5555" };
        var serverKey = new Option<string?>("--server-key") { Description = "Server CURVE public key: Z85 text, or a file (zcert .key/.key_secret, or the bare key)." };
        var client = new Option<string?>("--client") { Description = "Client id to sign the request as (needs --client-key)." };
        var clientKey = new Option<string?>("--client-key") { Description = "Client HMAC key: base64, a file holding it, or a client key set file." };
        var socket = new Option<string>("--socket") { Description = "req (like FlowAPI) or dealer.", DefaultValueFactory = _ => "req" };
        var timeout = new Option<string>("--timeout") { Description = "Seconds to wait for the reply.", DefaultValueFactory = _ => "30" };

        var command = new Command("call", "Send one action to a FlowKit-protocol ZMQ server and print the reply JSON (exit 0 success, 1 error reply, 2 usage or timeout).")
        {
            action, parameters, endpoint, serverKey, client, clientKey, socket, timeout,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(async (result, cancellationToken) =>
        {
            var output = result.InvocationConfiguration.Output;
            var error = result.InvocationConfiguration.Error;
            if (result.UnmatchedTokens.Count > 0)
                return Usage(error, $"unexpected argument(s): {string.Join(" ", result.UnmatchedTokens)}");
            if (result.GetValue(action) is not { Length: > 0 } actionName)
                return Usage(error, "missing ACTION (e.g. flowakka call ping).");

            JsonObject actionParams;
            try
            {
                actionParams = result.GetValue(parameters) is { } text
                    ? FlowJsonReader.Parse(text, ProtocolLimits.DefaultMaxDepth) as JsonObject ?? throw new JsonDecodeException("PARAMS_JSON must be a JSON object")
                    : new JsonObject();
            }
            catch (JsonDecodeException e)
            {
                return Usage(error, $"PARAMS_JSON: {e.Message}");
            }

            var socketKind = result.GetValue(socket)!.ToLowerInvariant() switch
            {
                "req" => ClientSocketKind.Req,
                "dealer" => ClientSocketKind.Dealer,
                _ => (ClientSocketKind?)null,
            };
            if (socketKind is null)
                return Usage(error, "--socket must be req or dealer.");
            if (!double.TryParse(result.GetValue(timeout), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) || !(seconds > 0) || seconds > 86_400)
                return Usage(error, "--timeout must be a number of seconds between 0 and 86400.");

            string? serverPublicKey = null;
            if (result.GetValue(serverKey) is { } keyText)
            {
                try
                {
                    serverPublicKey = ReadServerKey(keyText);
                }
                catch (Exception e) when (e is FormatException or IOException or UnauthorizedAccessException)
                {
                    return Usage(error, $"--server-key: {e.Message}");
                }
            }

            var clientId = result.GetValue(client);
            var clientKeyText = result.GetValue(clientKey);
            if ((clientId is null) != (clientKeyText is null))
                return Usage(error, "--client and --client-key go together.");
            byte[]? key = null;
            if (clientId is not null)
            {
                try
                {
                    key = ReadClientKey(clientKeyText!, clientId);
                }
                catch (Exception e) when (e is FormatException or ClientKeySetException or IOException or UnauthorizedAccessException)
                {
                    return Usage(error, $"--client-key: {e.Message}");
                }
            }

            var request = new ActionRequest($"call-{Guid.NewGuid():N}", actionName, actionParams);
            var body = key is null ? request.ToUtf8Bytes() : RequestSigner.Sign(request, clientId!, key, DateTimeOffset.UtcNow).ToUtf8Bytes();
            byte[] replyBody;
            try
            {
                using var flowKit = new FlowKitClient(new FlowKitClientOptions
                {
                    Endpoint = result.GetValue(endpoint)!,
                    Socket = socketKind.Value,
                    ServerPublicKeyZ85 = serverPublicKey,
                    Timeout = TimeSpan.FromSeconds(seconds),
                });
                replyBody = await flowKit.SendRawAsync(body, cancellationToken);
            }
            catch (TimeoutException e)
            {
                error.WriteLine($"flowakka call: {e.Message}");
                return UsageOrTimeout;
            }
            catch (Exception e) when (e is ArgumentException or NetMQ.NetMQException or System.Net.Sockets.SocketException)
            {
                return Usage(error, $"--endpoint: {e.Message}");
            }

            Reply reply;
            try
            {
                reply = Reply.Parse(replyBody);
            }
            catch (Exception e) when (e is JsonDecodeException or FormatException or InvalidOperationException)
            {
                error.WriteLine($"flowakka call: the server sent something that is not a reply ({e.Message}).");
                return ErrorReply;
            }
            output.WriteLine(reply.ToString());
            return reply.IsSuccess ? Success : ErrorReply;
        });
        return command;
    }

    /// <summary>A Z85 key, or a file with one (an existing path wins over text that merely looks like a key).</summary>
    public static string ReadServerKey(string value)
    {
        if (File.Exists(value))
            return CurveKeyFile.ReadPublicKey(value);
        if (value.Length == Z85KeyLength)
            return value;
        throw new FormatException($"'{value}' is neither a 40-character Z85 key nor an existing file.");
    }

    /// <summary>Base64 text, a file holding it, or a client key set file (the entry of <paramref name="clientId"/>).</summary>
    public static byte[] ReadClientKey(string value, string clientId)
    {
        var text = File.Exists(value) ? File.ReadAllText(value).Trim() : value;
        if (text.StartsWith('{'))
        {
            var set = ClientKeySet.Parse(System.Text.Encoding.UTF8.GetBytes(text));
            return set.TryGetKey(clientId, out var fromSet)
                ? fromSet
                : throw new ClientKeySetException($"client '{clientId}' is not in {value}.");
        }
        var key = Convert.FromBase64String(text);
        return key.Length >= ClientKeySet.MinKeyBytes
            ? key
            : throw new FormatException($"the key has {key.Length} bytes; client keys have at least {ClientKeySet.MinKeyBytes}.");
    }

    private static int Usage(TextWriter error, string message)
    {
        error.WriteLine($"flowakka call: {message}");
        return UsageOrTimeout;
    }
}
