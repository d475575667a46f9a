// visited_most_days: per subscriber, the location seen on the most distinct days of the period.
using System.Text.Json.Nodes;
using FlowAkka.Queries.Fields;
using FlowAkka.Queries.Sql;

namespace FlowAkka.Queries.Kinds;

public sealed class VisitedMostDays : SubscriberLocationQuery
{
    public static readonly KindDefinition Definition = new("visited_most_days", "VisitedMostDays", Parse,
        () => MostFrequentLocation.WindowedSchema("visited_most_days"));

    private VisitedMostDays(JsonObject normalised, SpatialUnit unit, EventWindow window, Sampling? sampling)
        : base(normalised, unit)
    {
        Window = window;
        Sampling = sampling;
    }

    public EventWindow Window { get; }

    public Sampling? Sampling { get; }

    public override string QueryKind => "visited_most_days";

    public override string CacheClassName => "VisitedMostDays";

    public override IReadOnlyList<Query> Dependencies => Deps.Of(Window.SubscriberSubset);

    public override string BuildSql(ISqlSource source) =>
        SamplingSql.Apply(LocationSql.MostCommon(EventsSql.Located(Window, Unit, source), Unit, countDays: true), Sampling);

    private static Query? Parse(SpecReader r)
    {
        var (unit, window, sampling) = MostFrequentLocation.ReadWindowed(r);
        return r.Ok() ? new VisitedMostDays(r.Normalised, unit!, window!, sampling) : null;
    }
}
