// The query kinds FlowAkka serves, in FlowKit's declaration order, and the entry points to parse specs.
using System.Text.Json.Nodes;
using FlowAkka.Queries.Fields;
using FlowAkka.Queries.Kinds;
using FlowAkka.Queries.OpenApi;

namespace FlowAkka.Queries;

public static class QueryCatalog
{
    // Nested groups, as FlowKit's OneOfSchemas.
    public static readonly QueryGroup InputToModalLocation = new("InputToModalLocation", [DailyLocation.Definition]);

    public static readonly QueryGroup ReferenceLocation = new("ReferenceLocation",
        [DailyLocation.Definition, ModalLocation.Definition, MostFrequentLocation.Definition, VisitedMostDays.Definition,
         MajorityLocation.Definition]);

    /// <summary>What location_visits counts (FlowKit's VisitableLocation).</summary>
    public static readonly QueryGroup VisitableLocation = new("VisitableLocation", [DailyLocation.Definition, ModalLocation.Definition]);

    /// <summary>The weights of majority_location (FlowKit's WeightedLocationQueries).</summary>
    public static readonly QueryGroup WeightedLocationQueries = new("WeightedLocationQueries", [LocationVisits.Definition]);

    public static readonly QueryGroup InputToFlows = new("InputToFlows",
        [DailyLocation.Definition, ModalLocation.Definition, UniqueLocations.Definition, MostFrequentLocation.Definition,
         VisitedMostDays.Definition]);

    public static readonly QueryGroup JoinableMetrics = new("JoinableMetrics",
        [RadiusOfGyration.Definition, UniqueLocationCounts.Definition, TopUpBalance.Definition, SubscriberDegree.Definition,
         TopUpAmount.Definition, EventCount.Definition, Handset.Definition, ParetoInteractions.Definition,
         NocturnalEvents.Definition, Displacement.Definition, TotalActivePeriods.Definition]);

    public static readonly QueryGroup HistogrammableMetrics = new("HistogrammableMetrics",
        [RadiusOfGyration.Definition, UniqueLocationCounts.Definition, TopUpBalance.Definition, SubscriberDegree.Definition,
         TopUpAmount.Definition, EventCount.Definition, ParetoInteractions.Definition, NocturnalEvents.Definition,
         Displacement.Definition, TotalActivePeriods.Definition]);

    // Single nested schemas (fields.Nested of one schema, still carrying a query_kind).
    public static readonly QueryGroup UniqueLocationsOnly = new("UniqueLocations", [UniqueLocations.Definition], IsOneOf: false);

    public static readonly QueryGroup TotalNetworkObjectsOnly =
        new("TotalNetworkObjects", [TotalNetworkObjects.Definition], IsOneOf: false);

    public static readonly QueryGroup UniqueSubscriberCountsOnly =
        new("UniqueSubscriberCounts", [UniqueSubscriberCounts.Definition], IsOneOf: false);

    public static readonly QueryGroup ActiveAtReferenceLocationCountsOnly =
        new("ActiveAtReferenceLocationCounts", [ActiveAtReferenceLocationCounts.Definition], IsOneOf: false);

    public static readonly QueryGroup LocationVisitsOnly = new("LocationVisits", [LocationVisits.Definition], IsOneOf: false);

    public static readonly QueryGroup MajorityLocationOnly = new("MajorityLocation", [MajorityLocation.Definition], IsOneOf: false);

    public static readonly QueryGroup CoalescedLocationOnly =
        new("CoalescedLocation", [CoalescedLocation.Definition], IsOneOf: false);

    public static readonly QueryGroup MobilityClassificationOnly =
        new("MobilityClassification", [MobilityClassification.Definition], IsOneOf: false);

    /// <summary>FlowmachineQuerySchema: the top-level kinds in FlowKit's declaration order.</summary>
    public static readonly QueryGroup TopLevel = new("FlowmachineQuerySchema",
    [
        DummyQuery.Definition,
        Flows.Definition,
        Inflows.Definition,
        Outflows.Definition,
        MeaningfulLocationsAggregate.Definition,
        MeaningfulLocationsBetweenLabelODMatrix.Definition,
        MeaningfulLocationsBetweenDatesODMatrix.Definition,
        GeographyQuery.Definition,
        LocationEventCounts.Definition,
        UniqueSubscriberCounts.Definition,
        LocationIntroversion.Definition,
        TotalNetworkObjects.Definition,
        AggregateNetworkObjects.Definition,
        DfsMetricTotalAmount.Definition,
        SpatialAggregate.Definition,
        JoinedSpatialAggregate.Definition,
        HistogramAggregate.Definition,
        ActiveAtReferenceLocationCounts.Definition,
        UniqueVisitorCounts.Definition,
        ConsecutiveTripsODMatrix.Definition,
        UnmovingCounts.Definition,
        UnmovingAtReferenceLocationCounts.Definition,
        TripsODMatrix.Definition,
        LabelledSpatialAggregate.Definition,
        LabelledFlows.Definition,
    ]);

    private static readonly Lazy<JsonObject> Schemas = new(BuildSchemas);

    /// <summary>Top-level query kinds, in FlowKit's order (get_available_queries).</summary>
    public static IReadOnlyList<string> AvailableQueries { get; } = TopLevel.KindNames.ToArray();

    /// <summary>OpenAPI 3.0 components.schemas (get_query_schemas); a fresh copy of the cached document.</summary>
    public static JsonObject QuerySchemas => (JsonObject)Schemas.Value.DeepClone();

    /// <summary>Validates and normalises a top-level spec (the run_query params).</summary>
    public static QueryParseResult Parse(JsonObject spec) => ParseIn(spec, TopLevel);

    /// <summary>Every kind, top-level or nested: how the server re-reads a stored spec of any query of a tree.</summary>
    private static readonly Lazy<QueryGroup> AnyKind = new(() => new QueryGroup("AnyQuery",
        AllGroups().SelectMany(g => g.Kinds).DistinctBy(k => k.QueryKind).ToList()));

    /// <summary>Validates and normalises a spec of any kind (a dependency's normalised parameters).</summary>
    public static QueryParseResult ParseAny(JsonObject spec) => ParseIn(spec, AnyKind.Value);

    /// <summary>get_aggregation_unit: the spec's unit (null for non-spatial), or its validation errors.</summary>
    public static QueryParseResult ParseAggregationUnit(JsonObject spec) => Parse(spec);

    public static string? AggregationUnitOf(Query query) => query.AggregationUnit;

    /// <summary>Parses a spec that must be one of the kinds of <paramref name="group"/>.</summary>
    public static QueryParseResult ParseIn(JsonNode? node, QueryGroup group)
    {
        if (node is not JsonObject spec)
        {
            return Invalid(new JsonObject { ["_schema"] = new JsonArray(Messages.InvalidInput) });
        }

        if (!spec.TryGetPropertyValue("query_kind", out var kindNode) || kindNode is null)
        {
            return Invalid(new JsonObject { ["query_kind"] = new JsonArray(kindNode is null && spec.ContainsKey("query_kind") ? Messages.NotNull : Messages.Required) });
        }

        var kind = kindNode is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
        var definition = kind is null ? null : group.Find(kind);
        if (definition is null)
        {
            return Invalid(new JsonObject { ["query_kind"] = new JsonArray(Messages.OneOf(group.KindNames)) });
        }

        var reader = new SpecReader(spec, definition.QueryKind);
        Query? query;
        try
        {
            query = definition.Parse(reader);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A parser bug must surface as a validation error, never crash the caller.
            reader.SchemaError($"Could not create query object: {e.Message}");
            query = null;
        }

        if (query is null)
        {
            if (!reader.HasErrors)
            {
                reader.Ok();
            }

            return Invalid(reader.HasErrors ? reader.Errors : new JsonObject { ["_schema"] = new JsonArray(Messages.InvalidInput) });
        }

        return new QueryParseResult(query, null);
    }

    private static QueryGroup[] AllGroups() =>
    [
        TopLevel, InputToModalLocation, ReferenceLocation, InputToFlows, JoinableMetrics, HistogrammableMetrics,
        UniqueLocationsOnly, TotalNetworkObjectsOnly, UniqueSubscriberCountsOnly, ActiveAtReferenceLocationCountsOnly,
        VisitableLocation, WeightedLocationQueries, LocationVisitsOnly, MajorityLocationOnly, CoalescedLocationOnly,
        MobilityClassificationOnly,
    ];

    private static QueryParseResult Invalid(JsonObject errors) => new(null, errors);

    private static JsonObject BuildSchemas()
    {
        var all = new SortedDictionary<string, JsonNode>(StringComparer.Ordinal);
        foreach (var group in AllGroups())
        {
            foreach (var kind in group.Kinds)
            {
                all.TryAdd(kind.SchemaName, kind.Schema());
            }

            if (group.IsOneOf)
            {
                all[group.SchemaName] = SchemaBuilder.OneOf("query_kind", group.Kinds.Select(k => (k.QueryKind, k.SchemaName)));
            }
        }

        foreach (var (name, schema) in SharedSchemas.All())
        {
            all[name] = schema;
        }

        var result = new JsonObject();
        foreach (var (name, schema) in all)
        {
            result[name] = schema;
        }

        return result;
    }
}
