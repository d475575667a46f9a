using System.Collections;
using System.Collections.Immutable;
using System.Reflection;
using System.Text.Json.Nodes;
using Akka.Actor;
using Akka.Configuration;
using Akka.TestKit.Xunit2;
using FlowAkka.Cluster.Serialization;
using Xunit;

namespace FlowAkka.Cluster.Tests.Serialization;

public sealed class FlowAkkaSerializerSpecs() : TestKit(ConfigurationFactory.ParseString($$"""
    akka.actor {
      serializers.flowakka = "{{typeof(FlowAkkaSerializer).AssemblyQualifiedName}}"
      serialization-bindings { "{{typeof(IFlowAkkaMessage).AssemblyQualifiedName}}" = flowakka }
      serialization-identifiers { "{{typeof(FlowAkkaSerializer).AssemblyQualifiedName}}" = {{FlowAkkaSerializer.SerializerId}} }
      serialization-settings.allow-unregistered-types = false
    }
    """))
{
    public static TheoryData<string> AllManifests()
    {
        var data = new TheoryData<string>();
        foreach (var manifest in FlowAkkaSerializer.KnownTypes.Values.Order(StringComparer.Ordinal)) data.Add(manifest);
        return data;
    }

    [Fact]
    public void Every_message_type_of_the_assembly_is_known_with_a_unique_manifest()
    {
        var markerTypes = typeof(IFlowAkkaMessage).Assembly.GetTypes()
            .Where(t => typeof(IFlowAkkaMessage).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false })
            .ToHashSet();
        Assert.NotEmpty(markerTypes);
        Assert.Equal(markerTypes, FlowAkkaSerializer.KnownTypes.Keys.ToHashSet());
        Assert.Equal(FlowAkkaSerializer.KnownTypes.Count, FlowAkkaSerializer.KnownTypes.Values.Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(AllManifests))]
    public void Round_trips_through_the_actor_systems_serialization(string manifest)
    {
        var type = FlowAkkaSerializer.KnownTypes.Single(p => p.Value == manifest).Key;
        var original = SampleFactory.Create(type, TestActor);
        var serialization = Sys.Serialization;

        var serializer = serialization.FindSerializerFor(original);
        Assert.IsType<FlowAkkaSerializer>(serializer);
        var bytes = serializer.ToBinary(original);
        var restored = serialization.Deserialize(bytes, serializer.Identifier, Akka.Serialization.Serialization.ManifestFor(serializer, original));

        Assert.IsType(type, restored);
        // Records holding JsonObject compare by reference, so compare the serialized forms (and the records where possible).
        Assert.Equal(System.Text.Encoding.UTF8.GetString(bytes), System.Text.Encoding.UTF8.GetString(serializer.ToBinary(restored)));
        if (type.GetProperties().Any(p => p.DeclaringType == type && p.GetMethod?.IsStatic == false))
            Assert.NotEqual("{}", System.Text.Encoding.UTF8.GetString(bytes));
    }

    [Fact]
    public void An_unknown_manifest_is_a_serialization_exception()
    {
        var serializer = new FlowAkkaSerializer((ExtendedActorSystem)Sys);
        Assert.Throws<System.Runtime.Serialization.SerializationException>(() => serializer.FromBinary("{}"u8.ToArray(), "no-such-manifest"));
    }

    /// <summary>Builds an instance of a message type with a non-default value for every constructor parameter.</summary>
    private static class SampleFactory
    {
        public static object Create(Type type, IActorRef actor)
        {
            var constructor = type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).First();
            var args = constructor.GetParameters().Select(p => Value(p.ParameterType, actor)).ToArray();
            return constructor.Invoke(args);
        }

        private static object? Value(Type type, IActorRef actor)
        {
            var underlying = Nullable.GetUnderlyingType(type);
            if (underlying is not null) return Value(underlying, actor);
            if (type == typeof(string)) return "sample";
            if (type == typeof(bool)) return true;
            if (type == typeof(int)) return 3;
            if (type == typeof(long)) return 4L;
            if (type == typeof(double)) return 1.5;
            if (type == typeof(DateTimeOffset)) return new DateTimeOffset(2016, 1, 2, 3, 4, 5, TimeSpan.Zero);
            if (type == typeof(TimeSpan)) return TimeSpan.FromSeconds(7);
            if (type == typeof(JsonObject)) return new JsonObject { ["query_kind"] = "daily_location", ["date"] = "2016-01-01" };
            if (typeof(IActorRef).IsAssignableFrom(type)) return actor;
            if (type.IsEnum) return Enum.GetValues(type).GetValue(Enum.GetValues(type).Length - 1);
            if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(ImmutableList<>))
            {
                var element = type.GetGenericArguments()[0];
                var create = typeof(ImmutableList).GetMethods().First(m => m.Name == nameof(ImmutableList.Create) && m.GetParameters().Length == 1
                    && !m.GetParameters()[0].ParameterType.IsArray && m.GetParameters()[0].ParameterType.IsGenericParameter);
                return create.MakeGenericMethod(element).Invoke(null, [Value(element, actor)]);
            }
            if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(ImmutableDictionary<,>))
            {
                var (key, value) = (type.GetGenericArguments()[0], type.GetGenericArguments()[1]);
                var empty = type.GetField("Empty", BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!;
                return type.GetMethod("Add")!.Invoke(empty, [Value(key, actor), Value(value, actor)]);
            }
            if (type.IsClass && !typeof(IEnumerable).IsAssignableFrom(type)) return Create(type, actor);
            throw new NotSupportedException($"No sample value for {type}; extend the factory.");
        }
    }
}
