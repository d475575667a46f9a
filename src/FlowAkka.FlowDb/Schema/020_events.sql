-- Event (CDR) tables. Each is partitioned by datetime with one child table per day (events.<type>_YYYYMMDD),
-- created by FlowDbSchema.EnsureDayPartitionsAsync or by the synthetic generator. The indexes are declared on the
-- parent so every attached child carries them.
CREATE TABLE IF NOT EXISTS events.calls (
    id TEXT,
    outgoing BOOLEAN,
    datetime TIMESTAMPTZ NOT NULL,
    duration NUMERIC,
    network TEXT,
    msisdn TEXT NOT NULL,
    msisdn_counterpart TEXT,
    location_id TEXT,
    imsi TEXT,
    imei TEXT,
    tac NUMERIC(8),
    operator_code NUMERIC,
    country_code NUMERIC
) PARTITION BY RANGE (datetime);

CREATE TABLE IF NOT EXISTS events.sms (
    id TEXT,
    outgoing BOOLEAN,
    datetime TIMESTAMPTZ NOT NULL,
    network TEXT,
    msisdn TEXT NOT NULL,
    msisdn_counterpart TEXT,
    location_id TEXT,
    imsi TEXT,
    imei TEXT,
    tac NUMERIC(8),
    operator_code NUMERIC,
    country_code NUMERIC
) PARTITION BY RANGE (datetime);

CREATE TABLE IF NOT EXISTS events.mds (
    id TEXT,
    datetime TIMESTAMPTZ NOT NULL,
    duration NUMERIC,
    volume_total NUMERIC,
    volume_upload NUMERIC,
    volume_download NUMERIC,
    msisdn TEXT NOT NULL,
    location_id TEXT,
    imsi TEXT,
    imei TEXT,
    tac NUMERIC(8),
    operator_code NUMERIC,
    country_code NUMERIC
) PARTITION BY RANGE (datetime);

CREATE TABLE IF NOT EXISTS events.topups (
    id TEXT,
    datetime TIMESTAMPTZ NOT NULL,
    type TEXT,
    recharge_amount NUMERIC,
    airtime_fee NUMERIC,
    tax_and_fee NUMERIC,
    pre_event_balance NUMERIC,
    post_event_balance NUMERIC,
    msisdn TEXT NOT NULL,
    location_id TEXT,
    imsi TEXT,
    imei TEXT,
    tac NUMERIC(8),
    operator_code NUMERIC,
    country_code NUMERIC
) PARTITION BY RANGE (datetime);

CREATE INDEX IF NOT EXISTS calls_msisdn_idx ON events.calls (msisdn);
CREATE INDEX IF NOT EXISTS calls_msisdn_counterpart_idx ON events.calls (msisdn_counterpart);
CREATE INDEX IF NOT EXISTS calls_tac_idx ON events.calls (tac);
CREATE INDEX IF NOT EXISTS calls_location_id_idx ON events.calls (location_id);
CREATE INDEX IF NOT EXISTS calls_datetime_idx ON events.calls (datetime);

CREATE INDEX IF NOT EXISTS sms_msisdn_idx ON events.sms (msisdn);
CREATE INDEX IF NOT EXISTS sms_msisdn_counterpart_idx ON events.sms (msisdn_counterpart);
CREATE INDEX IF NOT EXISTS sms_tac_idx ON events.sms (tac);
CREATE INDEX IF NOT EXISTS sms_location_id_idx ON events.sms (location_id);
CREATE INDEX IF NOT EXISTS sms_datetime_idx ON events.sms (datetime);

CREATE INDEX IF NOT EXISTS mds_msisdn_idx ON events.mds (msisdn);
CREATE INDEX IF NOT EXISTS mds_tac_idx ON events.mds (tac);
CREATE INDEX IF NOT EXISTS mds_location_id_idx ON events.mds (location_id);
CREATE INDEX IF NOT EXISTS mds_datetime_idx ON events.mds (datetime);

CREATE INDEX IF NOT EXISTS topups_msisdn_idx ON events.topups (msisdn);
CREATE INDEX IF NOT EXISTS topups_tac_idx ON events.topups (tac);
CREATE INDEX IF NOT EXISTS topups_location_id_idx ON events.topups (location_id);
CREATE INDEX IF NOT EXISTS topups_datetime_idx ON events.topups (datetime);

CREATE TABLE IF NOT EXISTS events.location_ids (
    location_id TEXT,
    cdr_type TEXT,
    first_active_date DATE,
    last_active_date DATE,
    PRIMARY KEY (location_id, cdr_type)
);
