// CURVE key files in ZeroMQ's certificate format (zcert), so pyzmq's zmq.auth.load_certificate reads them too.
using System.Text;
using System.Text.RegularExpressions;

namespace FlowAkka.Node.Security;

public static partial class CurveKeyFile
{
    [GeneratedRegex("""^\s*(public|secret)-key\s*=\s*"([^"]{40})"\s*$""", RegexOptions.Multiline)]
    private static partial Regex KeyLine();

    [GeneratedRegex("^[0-9A-Za-z.\\-:+=^!/*?&<>()\\[\\]{}@%$#]{40}$")]
    private static partial Regex Z85Key();

    /// <summary>The secret key of a zcert secret file, or of a file holding just the 40-character Z85 key
    /// (a Docker secret).</summary>
    public static string ReadSecretKey(string path) => ReadKey(path, "secret");

    public static string ReadPublicKey(string path) => ReadKey(path, "public");

    private static string ReadKey(string path, string kind)
    {
        var text = File.ReadAllText(path).Trim();
        if (Z85Key().IsMatch(text)) return text;
        foreach (Match match in KeyLine().Matches(text))
        {
            if (match.Groups[1].Value == kind) return match.Groups[2].Value;
        }
        throw new FormatException($"{path} holds no {kind} CURVE key (a zcert file or a 40-character Z85 key).");
    }

    /// <summary>Writes <c>NAME.key</c> (public) and <c>NAME.key_secret</c> (mode 0600) like zmq.auth.create_certificates.</summary>
    public static (string PublicFile, string SecretFile) Write(string directory, string name, string publicKeyZ85, string secretKeyZ85)
    {
        Directory.CreateDirectory(directory);
        var publicFile = Path.Combine(directory, name + ".key");
        var secretFile = Path.Combine(directory, name + ".key_secret");
        var header = $"#   ****  Generated on {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm:ss} by flowakka keygen  ****\n" +
                     "#   ZeroMQ CURVE certificate\n\nmetadata\ncurve\n";
        File.WriteAllText(publicFile, header + $"    public-key = \"{publicKeyZ85}\"\n", Encoding.ASCII);
        // Create the secret file with owner-only permissions before the key is written into it.
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var stream = new FileStream(secretFile, options))
        using (var writer = new StreamWriter(stream, Encoding.ASCII))
        {
            writer.Write(header + $"    public-key = \"{publicKeyZ85}\"\n    secret-key = \"{secretKeyZ85}\"\n");
        }
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(secretFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return (publicFile, secretFile);
    }
}
