// Post-ETL QA checks (FlowETL's check names) computed from one freshly loaded day partition.
namespace FlowAkka.FlowDb.Synthetic;

/// <summary>
/// Builds the INSERT into etl.post_etl_queries for one (cdr_type, day). Outcomes are text, as FlowETL stores them.
/// The statement reads the named partition and uses the @day and @cdrType parameters.
/// </summary>
internal static class QaChecks
{
    public static string Sql(string table, string partition)
    {
        var t = $"events.{partition}";
        var typed = table switch
        {
            "calls" => "outgoing, duration, msisdn_counterpart, network,",
            "sms" => "outgoing, msisdn_counterpart, network,",
            "mds" => "duration, volume_total, volume_upload, volume_download,",
            "topups" => "type, recharge_amount, airtime_fee, tax_and_fee, pre_event_balance, post_event_balance,",
            _ => throw new ArgumentException($"Unknown event table {table}.", nameof(table)),
        };
        var twoLine = table is "calls" or "sms";
        var extraAggregates = (table == "calls"
                ? ", max(duration)::text AS max_duration, count(*) FILTER (WHERE duration IS NULL) AS null_durations, "
                  + "(percentile_cont(0.5) WITHIN GROUP (ORDER BY duration))::text AS median_duration"
                : "")
            + (twoLine
                ? ", count(*) FILTER (WHERE msisdn_counterpart IS NULL) AS null_counterparts, count(*) FILTER (WHERE outgoing) AS outgoing_rows"
                : "");
        var extraChecks = (table == "calls"
                ? ", ('max_duration', a.max_duration), ('count_null_durations', a.null_durations::text), ('median_duration', a.median_duration)"
                : "")
            + (twoLine
                ? ", ('count_null_counterparts', a.null_counterparts::text), ('count_added_rows_outgoing', a.outgoing_rows::text)"
                : "");
        return $"""
            WITH a AS MATERIALIZED (
                SELECT count(*) AS n,
                       count(*) FILTER (WHERE imei IS NULL) AS null_imeis,
                       count(*) FILTER (WHERE imsi IS NULL) AS null_imsis,
                       count(*) FILTER (WHERE location_id IS NULL) AS null_location_ids,
                       min(datetime)::text AS earliest, max(datetime)::text AS latest
                       {extraAggregates}
                FROM {t}),
            d AS MATERIALIZED (
                SELECT count(*) AS duplicated, coalesce(sum(c - 1), 0) AS duplicates
                FROM (SELECT count(*) AS c FROM {t}
                      GROUP BY {typed} datetime, msisdn, location_id, imsi, imei, tac, operator_code, country_code
                      HAVING count(*) > 1) x),
            u AS MATERIALIZED (
                SELECT (SELECT count(*) FROM (SELECT msisdn FROM {t} GROUP BY msisdn) x) AS msisdns,
                       (SELECT count(*) FROM (SELECT imei FROM {t} WHERE imei IS NOT NULL GROUP BY imei) x) AS imeis,
                       (SELECT count(*) FROM (SELECT imsi FROM {t} WHERE imsi IS NOT NULL GROUP BY imsi) x) AS imsis,
                       (SELECT count(*) FROM (SELECT location_id FROM {t} WHERE location_id IS NOT NULL GROUP BY location_id) x) AS location_ids,
                       (SELECT coalesce(max(c), 0) FROM (SELECT imei, count(*) AS c FROM (SELECT imei, msisdn FROM {t} WHERE imei IS NOT NULL GROUP BY imei, msisdn) y GROUP BY imei) x) AS per_imei,
                       (SELECT coalesce(max(c), 0) FROM (SELECT imsi, count(*) AS c FROM (SELECT imsi, msisdn FROM {t} WHERE imsi IS NOT NULL GROUP BY imsi, msisdn) y GROUP BY imsi) x) AS per_imsi)
            INSERT INTO etl.post_etl_queries (cdr_date, cdr_type, type_of_query_or_check, outcome, optional_comment_or_description, timestamp)
            SELECT @day, @cdrType, v.check_name, v.outcome, NULL, now()
            FROM a CROSS JOIN d CROSS JOIN u
            CROSS JOIN LATERAL (VALUES
                ('count_added_rows', a.n::text),
                ('count_duplicated', d.duplicated::text),
                ('count_duplicates', d.duplicates::text),
                ('count_msisdns', u.msisdns::text),
                ('count_imeis', u.imeis::text),
                ('count_imsis', u.imsis::text),
                ('count_location_ids', u.location_ids::text),
                ('count_null_imeis', a.null_imeis::text),
                ('count_null_imsis', a.null_imsis::text),
                ('count_null_location_ids', a.null_location_ids::text),
                ('earliest_timestamp', a.earliest),
                ('latest_timestamp', a.latest),
                ('max_msisdns_per_imei', u.per_imei::text),
                ('max_msisdns_per_imsi', u.per_imsi::text)
                {extraChecks}) AS v (check_name, outcome)
            """;
    }
}
