// Readers for the field types many kinds share: aggregation unit, event types, hours, sampling,
// subscriber subset and the usual start/end event window.
using System.Globalization;
using System.Text.Json.Nodes;

namespace FlowAkka.Queries.Fields;

public static class SharedFields
{
    /// <summary>aggregation_unit plus FlowKit's optional mapping_table / geom_table / geom_table_join_column.</summary>
    public static SpatialUnit? AggregationUnit(this SpecReader r, bool required = true)
    {
        var name = r.String("aggregation_unit", required, SpatialUnit.Names);
        foreach (var extra in new[] { "mapping_table", "geom_table", "geom_table_join_column" })
        {
            var value = r.String(extra, required: false, allowNull: true);
            if (value is not null)
            {
                // Custom tables would put user-named identifiers into SQL; only FlowDB's own tables are served.
                r.Errors.Remove(extra);
                r.AddError(extra, Messages.CustomTablesUnsupported);
            }

            r.Normalised.Remove(extra);
        }

        return SpatialUnit.Parse(name);
    }

    /// <summary>event_types: null (all tables) or a non-empty list of calls/sms/mds/topups, deduplicated and sorted.</summary>
    public static IReadOnlyList<string>? EventTypes(this SpecReader r, string field = "event_types")
    {
        var node = r.Raw(field, out var present);
        if (!present || node is null)
        {
            r.Normalised[field] = null;
            return null;
        }

        if (node is not JsonArray array)
        {
            r.AddError(field, Messages.NotList);
            return null;
        }

        var types = new SortedSet<string>(StringComparer.Ordinal);
        var errors = new JsonObject();
        for (var i = 0; i < array.Count; i++)
        {
            var key = i.ToString(CultureInfo.InvariantCulture);
            if (array[i] is not JsonValue v || !v.TryGetValue<string>(out var s))
            {
                errors[key] = new JsonArray(Messages.NotString);
            }
            else if (!Fields.EventWindow.AllEventTypes.Contains(s, StringComparer.Ordinal))
            {
                errors[key] = new JsonArray(Messages.OneOf(Fields.EventWindow.AllEventTypes));
            }
            else
            {
                types.Add(s);
            }
        }

        if (errors.Count > 0)
        {
            r.AddErrors(field, errors);
            return null;
        }

        if (array.Count < 1)
        {
            r.AddError(field, Messages.ShorterThan(1));
            return null;
        }

        r.Normalised[field] = new JsonArray(types.Select(t => (JsonNode)JsonValue.Create(t)).ToArray());
        return types.ToArray();
    }

    /// <summary>A nullable Hours object {start_hour, end_hour}, each 0..24.</summary>
    public static HoursWindow? Hours(this SpecReader r, string field = "hours", bool required = false)
    {
        return r.Object(field, required, allowNull: !required, hr =>
        {
            var start = hr.Integer("start_hour", required: true, min: 0, max: 24);
            var end = hr.Integer("end_hour", required: true, min: 0, max: 24);
            return start is null || end is null ? null : new HoursWindow((int)start, (int)end);
        });
    }

    /// <summary>subscriber_subset: null or a query id (32 lowercase hex), resolved later by the server.</summary>
    public static StoredQueryReference? SubscriberSubset(this SpecReader r, string field = "subscriber_subset")
    {
        var node = r.Raw(field, out var present);
        if (!present || node is null)
        {
            r.Normalised[field] = null;
            return null;
        }

        if (node is JsonValue v && v.TryGetValue<string>(out var s) && StoredQueryReference.IsQueryId(s))
        {
            r.Normalised[field] = s;
            return new StoredQueryReference(s);
        }

        r.AddError(field, Messages.SubscriberSubset);
        return null;
    }

    /// <summary>sampling: null or a RandomSample, one of system / bernoulli / random_ids.</summary>
    public static Sampling? Sampling(this SpecReader r, string field = "sampling")
    {
        var node = r.Raw(field, out var present);
        if (!present || node is null)
        {
            r.Normalised[field] = null;
            return null;
        }

        if (node is not JsonObject obj)
        {
            r.AddErrors(field, new JsonObject { ["_schema"] = new JsonArray(Messages.InvalidInput) });
            return null;
        }

        if (!obj.TryGetPropertyValue("sampling_method", out var methodNode))
        {
            r.AddErrors(field, new JsonObject { ["sampling_method"] = new JsonArray(Messages.Required) });
            return null;
        }

        if (methodNode is not JsonValue mv || !mv.TryGetValue<string>(out var method)
            || !Fields.Sampling.Methods.Contains(method, StringComparer.Ordinal))
        {
            r.AddErrors(field, new JsonObject { ["sampling_method"] = new JsonArray(Messages.OneOf(Fields.Sampling.Methods)) });
            return null;
        }

        return r.Object(field, required: false, allowNull: true, s =>
        {
            s.String("sampling_method", required: true, Fields.Sampling.Methods);
            var size = s.Integer("size", required: false, min: 1, allowNull: true);
            var fraction = s.Number("fraction", required: false, min: 0.0, max: 1.0, exclusive: true, allowNull: true);
            var estimate = s.Boolean("estimate_count", required: false, defaultValue: true);
            var seed = method == "random_ids"
                ? s.Number("seed", required: true, min: -1.0, max: 1.0)
                : s.Number("seed", required: true);
            if (s.HasErrors)
            {
                return null;
            }

            if ((size is not null) == (fraction is not null))
            {
                s.SchemaError("Must provide exactly one of 'size' or 'fraction' for a random sample.");
                return null;
            }

            return new Sampling(method, seed!.Value, size, fraction, estimate ?? true);
        });
    }

    /// <summary>start/end dates, event_types, subscriber_subset and (optionally) hours.</summary>
    public static EventWindow? EventWindow(this SpecReader r, bool withHours = true, string start = "start_date",
        string end = "end_date", bool withEventTypes = true)
    {
        var s = r.Date(start);
        var e = r.Date(end);
        var types = withEventTypes ? r.EventTypes() : null;
        var hours = withHours ? r.Hours() : null;
        var subset = r.SubscriberSubset();
        return s is null || e is null ? null : new Fields.EventWindow(s.Value, e.Value, types, hours, subset);
    }
}
