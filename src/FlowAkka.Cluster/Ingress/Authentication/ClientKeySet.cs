// The HMAC keys of the clients allowed to call an authenticating ingress, and their file format:
// {"clients": {"<client id>": "<base64 key>", ...}}.
using System.Collections.Frozen;
using System.Security.Cryptography;
using System.Text.Json;

namespace FlowAkka.Cluster.Ingress.Authentication;

/// <summary>A key set file (or text) that cannot be used; the message says what is wrong, never a key.</summary>
public sealed class ClientKeySetException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>Where an authenticator gets the key set; <see cref="Current"/> may change between calls (rotation).</summary>
public interface IClientKeySource
{
    ClientKeySet Current { get; }
}

/// <summary>An immutable client id → key map. Keys are at least <see cref="MinKeyBytes"/> bytes.</summary>
public sealed class ClientKeySet : IClientKeySource
{
    /// <summary>128 bits: anything shorter is too easy to brute-force offline from one captured request.</summary>
    public const int MinKeyBytes = 16;

    /// <summary>What <see cref="GenerateKey"/> makes: the HMAC-SHA256 block-size-friendly 256 bits.</summary>
    public const int GeneratedKeyBytes = 32;

    public const int MaxClientIdLength = 128;

    private readonly FrozenDictionary<string, byte[]> _keys;

    public ClientKeySet(IEnumerable<KeyValuePair<string, byte[]>> keys)
    {
        var copy = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var (id, key) in keys)
        {
            ValidateClientId(id);
            if (key.Length < MinKeyBytes)
                throw new ClientKeySetException($"The key of client '{id}' has {key.Length} bytes; at least {MinKeyBytes} are needed.");
            if (!copy.TryAdd(id, (byte[])key.Clone()))
                throw new ClientKeySetException($"Client '{id}' appears twice.");
        }
        _keys = copy.ToFrozenDictionary(StringComparer.Ordinal);
    }

    public static ClientKeySet Empty { get; } = new([]);

    public int Count => _keys.Count;

    public IEnumerable<string> ClientIds => _keys.Keys;

    ClientKeySet IClientKeySource.Current => this;

    public bool TryGetKey(string clientId, out byte[] key)
    {
        if (_keys.TryGetValue(clientId, out var found))
        {
            key = found;
            return true;
        }
        key = [];
        return false;
    }

    /// <summary>A copy with <paramref name="clientId"/> added, or its key replaced (rotation).</summary>
    public ClientKeySet With(string clientId, byte[] key)
    {
        var entries = _keys.Where(kv => kv.Key != clientId).Append(new KeyValuePair<string, byte[]>(clientId, key));
        return new ClientKeySet(entries);
    }

    public static byte[] GenerateKey() => RandomNumberGenerator.GetBytes(GeneratedKeyBytes);

    public static void ValidateClientId(string clientId)
    {
        if (string.IsNullOrEmpty(clientId) || clientId.Length > MaxClientIdLength)
            throw new ClientKeySetException($"A client id must have 1 to {MaxClientIdLength} characters.");
        foreach (var c in clientId)
        {
            if (c < 0x21 || c > 0x7E)
                throw new ClientKeySetException($"Client id '{clientId}' may only hold printable ASCII without spaces.");
        }
    }

    /// <summary>Reads the file format. Strict: unknown keys, duplicates, bad base64 or short keys are errors.</summary>
    public static ClientKeySet Parse(ReadOnlySpan<byte> utf8Json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8Json.ToArray());
        }
        catch (JsonException e)
        {
            throw new ClientKeySetException($"The client key set is not valid JSON: {e.Message}", e);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new ClientKeySetException("The client key set must be a JSON object {\"clients\": {...}}.");
            JsonElement? clients = null;
            foreach (var property in root.EnumerateObject())
            {
                if (property.Name != "clients")
                    throw new ClientKeySetException($"Unknown key '{property.Name}' in the client key set (only \"clients\" is allowed).");
                if (clients is not null)
                    throw new ClientKeySetException("\"clients\" appears twice in the client key set.");
                clients = property.Value;
            }
            if (clients is not { ValueKind: JsonValueKind.Object } map)
                throw new ClientKeySetException("The client key set needs \"clients\": {\"<client id>\": \"<base64 key>\", ...}.");

            var keys = new List<KeyValuePair<string, byte[]>>();
            foreach (var client in map.EnumerateObject())
            {
                if (client.Value.ValueKind != JsonValueKind.String)
                    throw new ClientKeySetException($"The key of client '{client.Name}' must be a base64 string.");
                byte[] key;
                try
                {
                    key = Convert.FromBase64String(client.Value.GetString()!);
                }
                catch (FormatException)
                {
                    throw new ClientKeySetException($"The key of client '{client.Name}' is not valid base64.");
                }
                keys.Add(new KeyValuePair<string, byte[]>(client.Name, key));
            }
            return new ClientKeySet(keys);
        }
    }

    /// <summary>The file format, clients sorted by id, indented for people who edit it.</summary>
    public byte[] ToUtf8Json()
    {
        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("clients");
            foreach (var id in _keys.Keys.Order(StringComparer.Ordinal))
                writer.WriteString(id, Convert.ToBase64String(_keys[id]));
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    public override string ToString() => $"ClientKeySet({Count} clients: {string.Join(", ", _keys.Keys.Order(StringComparer.Ordinal))})";
}
