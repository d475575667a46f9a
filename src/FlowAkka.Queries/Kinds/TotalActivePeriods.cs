// total_active_periods: per subscriber, in how many of total_periods consecutive periods they had an event.
using System.Text.Json.Nodes;
using FlowAkka.Queries.Fields;
using FlowAkka.Queries.Sql;
using static FlowAkka.Queries.OpenApi.SchemaBuilder;

namespace FlowAkka.Queries.Kinds;

public sealed class TotalActivePeriods : SubscriberMetricQuery
{
    public static readonly KindDefinition Definition = new("total_active_periods", "TotalActivePeriods", Parse, Schema);

    private TotalActivePeriods(JsonObject normalised, EventWindow window, long periodSeconds)
        : base(normalised)
    {
        Window = window;
        PeriodSeconds = periodSeconds;
    }

    public EventWindow Window { get; }

    public long PeriodSeconds { get; }

    public override string QueryKind => "total_active_periods";

    public override string CacheClassName => "TotalActivePeriodsSubscriber";

    public override IReadOnlyList<Query> Dependencies => Deps.Of(Window.SubscriberSubset);

    public override string BuildSql(ISqlSource source) =>
        $"SELECT e.subscriber, count(DISTINCT floor(EXTRACT(epoch FROM (e.datetime - {SqlLiteral.Timestamp(Window.Start)})) " +
        $"/ {SqlLiteral.Integer(PeriodSeconds)})) AS value FROM ({EventsSql.Union(Window, source)}) e GROUP BY e.subscriber";

    private static Query? Parse(SpecReader r)
    {
        var start = r.Date("start_date");
        var total = r.Integer("total_periods", required: true, min: 1, max: 100000);
        var length = r.Integer("period_length", required: false, min: 1, max: 100000, defaultValue: 1);
        var unit = r.String("period_unit", required: false, Enums.PeriodUnits, defaultValue: "days");
        var types = r.EventTypes();
        var hours = r.Hours();
        var subset = r.SubscriberSubset();
        if (!r.Ok())
        {
            return null;
        }

        var unitSeconds = unit switch { "days" => 86400L, "hours" => 3600L, _ => 60L };
        var periodSeconds = length!.Value * unitSeconds;
        var end = start!.Value.AddSeconds((double)(periodSeconds * total!.Value));
        return new TotalActivePeriods(r.Normalised, new EventWindow(start.Value, end, types, hours, subset), periodSeconds);
    }

    private static JsonObject Schema() => Kind("total_active_periods",
    [
        ("event_types", EventTypes()),
        ("hours", Hours()),
        ("period_length", Integer(defaultValue: 1)),
        ("period_unit", Enum(Enums.PeriodUnits, defaultValue: "days")),
        ("start_date", DateTime()),
        ("subscriber_subset", NullableString()),
        ("total_periods", Integer()),
    ], "start_date", "total_periods");
}
