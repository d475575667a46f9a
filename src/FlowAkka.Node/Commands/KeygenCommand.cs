// `flowakka keygen`: make the server's CURVE keypair (zcert files), or add/rotate a client's HMAC key in the client
// key set file that FLOWAKKA_CLIENT_KEYS_FILE points at.
using System.CommandLine;
using FlowAkka.Cluster.Ingress.Authentication;
using FlowAkka.Node.Security;
using NetMQ;

namespace FlowAkka.Node.Commands;

public static class KeygenCommand
{
    public const string DefaultKeysFile = "client-keys.json";

    public static Command Create()
    {
        var outDir = new Option<string>("--out") { Description = "Directory for NAME.key and NAME.key_secret (CURVE).", DefaultValueFactory = _ => "." };
        var name = new Option<string>("--name") { Description = "Base name of the CURVE key files.", DefaultValueFactory = _ => "server" };
        var client = new Option<string?>("--client") { Description = "Add or rotate this client's HMAC key instead of making a CURVE keypair." };
        var keysFile = new Option<string?>("--keys-file")
        {
            Description = $"Client key set file (default: $FLOWAKKA_CLIENT_KEYS_FILE, else ./{DefaultKeysFile}).",
        };

        var command = new Command("keygen", "Create a CURVE keypair for the ZMQ server, or a client's HMAC key (--client).")
        {
            outDir, name, client, keysFile,
        };
        command.SetAction((result, _) =>
        {
            var output = result.InvocationConfiguration.Output;
            var error = result.InvocationConfiguration.Error;
            if (result.GetValue(client) is { } clientId)
            {
                if (result.GetResult(outDir) is { Implicit: false } || result.GetResult(name) is { Implicit: false })
                    return Task.FromResult(Usage(error, "--out/--name make CURVE keys; --client makes an HMAC key: use one or the other."));
                var path = result.GetValue(keysFile) ?? Environment.GetEnvironmentVariable("FLOWAKKA_CLIENT_KEYS_FILE") ?? DefaultKeysFile;
                return Task.FromResult(AddClientKey(path, clientId, output, error));
            }
            if (result.GetResult(keysFile) is { Implicit: false })
                return Task.FromResult(Usage(error, "--keys-file needs --client NAME."));
            return Task.FromResult(WriteCurveKeys(result.GetValue(outDir)!, result.GetValue(name)!, output, error));
        });
        return command;
    }

    private static int WriteCurveKeys(string directory, string name, TextWriter output, TextWriter error)
    {
        if (name.Length == 0 || name.IndexOfAny(['/', '\\']) >= 0 || name is "." or "..")
            return Usage(error, $"--name '{name}' must be a plain file name.");
        var secretFile = Path.Combine(directory, name + ".key_secret");
        if (File.Exists(secretFile))
        {
            // Overwriting a server secret would lock out every client configured with its public key.
            error.WriteLine($"flowakka keygen: {secretFile} exists; delete it first to make a new keypair.");
            return 1;
        }
        var certificate = new NetMQCertificate();
        var (publicFile, writtenSecret) = CurveKeyFile.Write(directory, name, certificate.PublicKeyZ85, certificate.SecretKeyZ85!);
        error.WriteLine($"flowakka keygen: wrote {publicFile} and {writtenSecret} (mode 0600).");
        error.WriteLine("Serve with FLOWAKKA_CURVE_SECRET_KEY_FILE pointing at the secret file; give clients this public key:");
        output.WriteLine(certificate.PublicKeyZ85);
        return 0;
    }

    private static int AddClientKey(string path, string clientId, TextWriter output, TextWriter error)
    {
        try
        {
            var existed = File.Exists(path) && ClientKeyFile.Read(path).TryGetKey(clientId, out _);
            var key = ClientKeyFile.AddOrRotate(path, clientId);
            error.WriteLine($"flowakka keygen: {(existed ? "rotated the key of" : "added")} client '{clientId}' in {Path.GetFullPath(path)} (mode 0600).");
            error.WriteLine("Running nodes pick the change up by themselves. The key is shown only this once:");
            output.WriteLine(Convert.ToBase64String(key));
            return 0;
        }
        catch (ClientKeySetException e)
        {
            error.WriteLine($"flowakka keygen: {e.Message}");
            return 1;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"flowakka keygen: cannot write {path}: {e.Message}");
            return 1;
        }
    }

    private static int Usage(TextWriter error, string message)
    {
        error.WriteLine($"flowakka keygen: {message}");
        return 2;
    }
}
