namespace FlowAkka.Protocol;

/// <summary>Bounds on what one request may cost to read: body size in bytes and JSON nesting depth.</summary>
public sealed record ProtocolLimits(int MaxBodyBytes = ProtocolLimits.DefaultMaxBodyBytes, int MaxDepth = ProtocolLimits.DefaultMaxDepth)
{
    public const int DefaultMaxBodyBytes = 1024 * 1024;
    public const int DefaultMaxDepth = 64;

    public static ProtocolLimits Default { get; } = new();
}
