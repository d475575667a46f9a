// unique_locations: every distinct (subscriber, location) pair seen in the period.
using System.Text.Json.Nodes;
using FlowAkka.Queries.Fields;
using FlowAkka.Queries.Sql;

namespace FlowAkka.Queries.Kinds;

public sealed class UniqueLocations : SubscriberLocationQuery
{
    public static readonly KindDefinition Definition = new("unique_locations", "UniqueLocations", Parse,
        () => MostFrequentLocation.WindowedSchema("unique_locations"));

    private UniqueLocations(JsonObject normalised, SpatialUnit unit, EventWindow window, Sampling? sampling)
        : base(normalised, unit)
    {
        Window = window;
        Sampling = sampling;
    }

    public EventWindow Window { get; }

    public Sampling? Sampling { get; }

    public override string QueryKind => "unique_locations";

    public override string CacheClassName => "UniqueLocations";

    public override IReadOnlyList<Query> Dependencies => Deps.Of(Window.SubscriberSubset);

    public override string BuildSql(ISqlSource source) =>
        SamplingSql.Apply(LocationSql.Unique(EventsSql.Located(Window, Unit, source), Unit), Sampling);

    private static Query? Parse(SpecReader r)
    {
        var (unit, window, sampling) = MostFrequentLocation.ReadWindowed(r);
        return r.Ok() ? new UniqueLocations(r.Normalised, unit!, window!, sampling) : null;
    }
}
