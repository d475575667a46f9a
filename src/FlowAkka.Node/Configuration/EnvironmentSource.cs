namespace FlowAkka.Node.Configuration;

/// <summary>
/// Where settings come from: a Docker secret file <c>/run/secrets/NAME</c> wins over the environment variable NAME,
/// as in FlowKit. Both sources are injectable so tests never depend on the real process environment.
/// </summary>
public sealed class EnvironmentSource(Func<string, string?> environment, string secretsDirectory)
{
    public const string DefaultSecretsDirectory = "/run/secrets";

    public static EnvironmentSource Process() =>
        new(Environment.GetEnvironmentVariable, DefaultSecretsDirectory);

    public string SecretsDirectory { get; } = secretsDirectory;

    /// <summary>The raw value, or null when neither a secret nor a non-empty variable is set.</summary>
    public string? Get(string name)
    {
        var secretPath = Path.Combine(SecretsDirectory, name);
        if (File.Exists(secretPath)) return File.ReadAllText(secretPath).Trim();
        var value = environment(name);
        return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }

    /// <summary>The path of a file named by a variable (a key file), or of the Docker secret of the same name.</summary>
    public string? GetFilePath(string name)
    {
        var secretPath = Path.Combine(SecretsDirectory, name);
        if (File.Exists(secretPath)) return secretPath;
        var value = environment(name);
        return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }
}
