-- ETL bookkeeping: which (cdr_type, day) are ingested, and the QA checks run after ingestion.
CREATE TABLE IF NOT EXISTS etl.etl_records (
    id SERIAL PRIMARY KEY,
    cdr_type TEXT,
    cdr_date DATE,
    state TEXT,
    timestamp TIMESTAMPTZ
);
CREATE INDEX IF NOT EXISTS etl_records_state_idx ON etl.etl_records (state, cdr_type, cdr_date);

CREATE TABLE IF NOT EXISTS etl.post_etl_queries (
    id SERIAL PRIMARY KEY,
    cdr_date DATE,
    cdr_type TEXT,
    type_of_query_or_check TEXT,
    outcome TEXT,
    optional_comment_or_description TEXT,
    timestamp TIMESTAMPTZ
);
CREATE INDEX IF NOT EXISTS post_etl_queries_check_idx ON etl.post_etl_queries (cdr_type, type_of_query_or_check, cdr_date);
