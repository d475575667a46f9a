namespace FlowAkka.Cluster.Serialization;

/// <summary>
/// Marker for every message that crosses nodes and every event persisted to the journal. Types carrying it are
/// serialized by <see cref="FlowAkkaSerializer"/> and must declare a stable <see cref="WireManifestAttribute"/>.
/// </summary>
public interface IFlowAkkaMessage;

/// <summary>
/// The short, stable manifest written beside a serialized message. Persisted manifests are never renamed or reused:
/// a journal written today must replay after any refactoring of the CLR type's name.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class WireManifestAttribute(string manifest) : Attribute
{
    public string Manifest { get; } = manifest;
}
