// daily_location: one location per subscriber for a day, from the last or the most common event location.
using System.Text.Json.Nodes;
using FlowAkka.Queries.Fields;
using FlowAkka.Queries.Sql;
using static FlowAkka.Queries.OpenApi.SchemaBuilder;

namespace FlowAkka.Queries.Kinds;

public sealed class DailyLocation : SubscriberLocationQuery
{
    public static readonly KindDefinition Definition = new("daily_location", "DailyLocation", Parse, Schema);

    private DailyLocation(JsonObject normalised, SpatialUnit unit, EventWindow window, string method, Sampling? sampling)
        : base(normalised, unit)
    {
        Window = window;
        Method = method;
        Sampling = sampling;
    }

    public EventWindow Window { get; }

    public string Method { get; }

    public Sampling? Sampling { get; }

    public override string QueryKind => "daily_location";

    public override string CacheClassName => "DailyLocation";

    public override IReadOnlyList<Query> Dependencies => Deps.Of(Window.SubscriberSubset);

    public override string BuildSql(ISqlSource source)
    {
        var located = EventsSql.Located(Window, Unit, source);
        var sql = Method == "last" ? LocationSql.Last(located, Unit) : LocationSql.MostCommon(located, Unit);
        return SamplingSql.Apply(sql, Sampling);
    }

    private static Query? Parse(SpecReader r)
    {
        var date = r.Date("date");
        var method = r.String("method", required: true, Enums.LocationMethod);
        var unit = r.AggregationUnit();
        var types = r.EventTypes();
        var hours = r.Hours();
        var subset = r.SubscriberSubset();
        var sampling = r.Sampling();
        if (!r.Ok())
        {
            return null;
        }

        var window = new EventWindow(date!.Value, date.Value.AddDays(1), types, hours, subset);
        return new DailyLocation(r.Normalised, unit!, window, method!, sampling);
    }

    private static JsonObject Schema() => Kind("daily_location",
    [
        .. AggregationUnit(),
        ("date", DateTime()),
        ("event_types", EventTypes()),
        ("hours", Hours()),
        ("method", Enum(Enums.LocationMethod)),
        ("sampling", Sampling()),
        ("subscriber_subset", NullableString()),
    ], "aggregation_unit", "date", "method");
}
