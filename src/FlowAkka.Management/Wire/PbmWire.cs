// The wire protocol between the `pbm` client and the command host: newline-delimited JSON frames.
// This file is compiled into both FlowAkka.Management and pbm (linked), so everything here is internal and Akka-free.
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace FlowAkka.Management.Wire;

/// <summary>Frame kinds. Client → host: hello, command, cancel. Host → client: palettes, response, end, error.</summary>
internal static class FrameTypes
{
    public const string Hello = "hello";
    public const string Palettes = "palettes";
    public const string Command = "command";
    public const string Cancel = "cancel";
    public const string Response = "response";
    public const string End = "end";
    public const string Error = "error";
}

/// <summary>One frame. Only the fields its <see cref="Type"/> needs are set; the rest are omitted on the wire.</summary>
internal sealed record PbmFrame
{
    public required string Type { get; init; }
    public int? Id { get; init; }
    public string? Text { get; init; }
    public string? Token { get; init; }
    public IReadOnlyList<WirePalette>? Palettes { get; init; }
}

internal sealed record WirePalette(string Module, string Description, IReadOnlyList<WireCommand> Commands);

internal sealed record WireCommand(string Name, string Description, IReadOnlyList<WireArgument> Arguments);

internal sealed record WireArgument(
    string Name,
    string Description,
    IReadOnlyList<string> Switches,
    bool Mandatory,
    bool IsFlag,
    bool Positional,
    IReadOnlyList<string> DefaultValues);

internal static class PbmWire
{
    /// <summary>Frames longer than this are a protocol violation: the peer is disconnected rather than buffered without bound.</summary>
    public const int MaxFrameBytes = 4 * 1024 * 1024;

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static byte[] Encode(PbmFrame frame)
    {
        var json = JsonSerializer.Serialize(frame, Json);
        return Encoding.UTF8.GetBytes(json + "\n");
    }

    /// <summary>Decodes one line; null when it is not a well-formed frame.</summary>
    public static PbmFrame? Decode(string line)
    {
        try
        {
            var frame = JsonSerializer.Deserialize<PbmFrame>(line, Json);
            return frame is { Type.Length: > 0 } ? frame : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>
/// Reads '\n'-terminated UTF-8 lines from a stream with a hard length limit, so a misbehaving peer
/// cannot make us buffer an unbounded line (StreamReader.ReadLineAsync has no limit).
/// </summary>
internal sealed class FrameReader(Stream stream)
{
    private readonly byte[] _chunk = new byte[8192];
    private readonly MemoryStream _pending = new();
    private int _chunkStart;
    private int _chunkEnd;

    /// <summary>Next line, or null at end of stream. Throws <see cref="InvalidDataException"/> on an oversized frame.</summary>
    public async Task<string?> ReadLineAsync(CancellationToken ct)
    {
        while (true)
        {
            if (_chunkStart < _chunkEnd)
            {
                var newline = Array.IndexOf(_chunk, (byte)'\n', _chunkStart, _chunkEnd - _chunkStart);
                if (newline >= 0)
                {
                    _pending.Write(_chunk, _chunkStart, newline - _chunkStart);
                    _chunkStart = newline + 1;
                    var line = Encoding.UTF8.GetString(_pending.GetBuffer(), 0, (int)_pending.Length).TrimEnd('\r');
                    _pending.SetLength(0);
                    return line;
                }

                _pending.Write(_chunk, _chunkStart, _chunkEnd - _chunkStart);
                _chunkStart = _chunkEnd;
                if (_pending.Length > PbmWire.MaxFrameBytes)
                    throw new InvalidDataException($"frame longer than {PbmWire.MaxFrameBytes} bytes");
            }

            var read = await stream.ReadAsync(_chunk, ct).ConfigureAwait(false);
            if (read == 0)
                return null;
            _chunkStart = 0;
            _chunkEnd = read;
        }
    }
}
