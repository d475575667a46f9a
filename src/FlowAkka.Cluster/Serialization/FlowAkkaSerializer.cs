// System.Text.Json serializer for every IFlowAkkaMessage, keyed by the WireManifest of each type.
using System.Collections.Frozen;
using System.Reflection;
using System.Runtime.Serialization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Akka.Actor;
using Akka.Serialization;

namespace FlowAkka.Cluster.Serialization;

public sealed class FlowAkkaSerializer : SerializerWithStringManifest
{
    /// <summary>Above the 0–100 range Akka reserves for itself; never change it once data has been written.</summary>
    public const int SerializerId = 517;

    public const string Alias = "flowakka";

    private static readonly FrozenDictionary<Type, string> ManifestsByType = DiscoverManifests();
    private static readonly FrozenDictionary<string, Type> TypesByManifest =
        ManifestsByType.ToFrozenDictionary(pair => pair.Value, pair => pair.Key, StringComparer.Ordinal);

    private readonly JsonSerializerOptions _options;

    public FlowAkkaSerializer(ExtendedActorSystem system) : base(system)
    {
        _options = new JsonSerializerOptions(JsonSerializerDefaults.General)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.Never,
            Converters = { new JsonStringEnumConverter(), new ActorRefConverter(system) },
        };
    }

    public override int Identifier => SerializerId;

    /// <summary>Every type the serializer knows, by manifest (tests walk this to round-trip each one).</summary>
    public static IReadOnlyDictionary<Type, string> KnownTypes => ManifestsByType;

    public override byte[] ToBinary(object obj)
    {
        if (!ManifestsByType.ContainsKey(obj.GetType()))
            throw new SerializationException($"{obj.GetType()} has no [WireManifest]; FlowAkkaSerializer cannot write it.");
        return JsonSerializer.SerializeToUtf8Bytes(obj, obj.GetType(), _options);
    }

    public override object FromBinary(byte[] bytes, string manifest)
    {
        // An unknown manifest is a SerializationException so remoting drops the message instead of the association.
        if (!TypesByManifest.TryGetValue(manifest, out var type))
            throw new SerializationException($"Unknown FlowAkka manifest '{manifest}'.");
        return JsonSerializer.Deserialize(bytes, type, _options)
               ?? throw new SerializationException($"Manifest '{manifest}' deserialized to null.");
    }

    public override string Manifest(object o) =>
        ManifestsByType.TryGetValue(o.GetType(), out var manifest)
            ? manifest
            : throw new SerializationException($"{o.GetType()} has no [WireManifest].");

    private static FrozenDictionary<Type, string> DiscoverManifests()
    {
        var result = new Dictionary<Type, string>();
        var seen = new Dictionary<string, Type>(StringComparer.Ordinal);
        foreach (var type in typeof(IFlowAkkaMessage).Assembly.GetTypes())
        {
            if (type.IsAbstract || type.IsInterface || !typeof(IFlowAkkaMessage).IsAssignableFrom(type)) continue;
            var attribute = type.GetCustomAttribute<WireManifestAttribute>()
                            ?? throw new InvalidOperationException($"{type} is an IFlowAkkaMessage without [WireManifest].");
            if (seen.TryGetValue(attribute.Manifest, out var other))
                throw new InvalidOperationException($"Manifest '{attribute.Manifest}' is used by both {other} and {type}.");
            seen[attribute.Manifest] = type;
            result[type] = attribute.Manifest;
        }
        return result.ToFrozenDictionary();
    }

    /// <summary>Actor references travel as their serialized path and resolve on the receiving system.</summary>
    private sealed class ActorRefConverter(ExtendedActorSystem system) : JsonConverter<IActorRef>
    {
        public override bool CanConvert(Type typeToConvert) => typeof(IActorRef).IsAssignableFrom(typeToConvert);

        public override IActorRef? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType == JsonTokenType.Null) return null;
            var path = reader.GetString();
            return string.IsNullOrEmpty(path) ? ActorRefs.Nobody : system.Provider.ResolveActorRef(path);
        }

        public override void Write(Utf8JsonWriter writer, IActorRef value, JsonSerializerOptions options) =>
            writer.WriteStringValue(Akka.Serialization.Serialization.SerializedActorPath(value));
    }
}
