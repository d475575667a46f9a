// Who may talk to the command host: loopback only unless `allow-remote = on`; a token when one is configured.
using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace FlowAkka.Management.Host;

internal static class ConnectionPolicy
{
    public static bool IsAllowed(IPAddress remote, bool allowRemote)
    {
        if (allowRemote)
            return true;
        if (remote.IsIPv4MappedToIPv6)
            remote = remote.MapToIPv4();
        return IPAddress.IsLoopback(remote);
    }

    /// <summary>Constant-time comparison so the token cannot be guessed byte by byte from response times.</summary>
    public static bool TokenMatches(string expected, string? presented)
    {
        if (string.IsNullOrEmpty(expected))
            return true;
        var a = SHA256.HashData(Encoding.UTF8.GetBytes(expected));
        var b = SHA256.HashData(Encoding.UTF8.GetBytes(presented ?? string.Empty));
        return CryptographicOperations.FixedTimeEquals(a, b);
    }

    public static IPAddress ParseBindAddress(string host) => host.Trim().ToLowerInvariant() switch
    {
        "localhost" => IPAddress.Loopback,
        "0.0.0.0" or "*" => IPAddress.Any,
        var h when IPAddress.TryParse(h.Trim('[', ']'), out var address) => address,
        _ => throw new ArgumentException($"petabridge.cmd.host must be an IP address or 'localhost', got '{host}'"),
    };
}
