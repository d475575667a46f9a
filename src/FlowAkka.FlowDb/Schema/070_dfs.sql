-- Mobile money (DFS) tables, FlowKit names: what dfs_metric_total_amount reads. Idempotent.
-- transactions_metadata is in two-line form: one row for the a-party, one for the b-party of a transaction.
-- The dfs schema itself is made by 010_schemas (CREATE SCHEMA IF NOT EXISTS would demand CREATE on the database).
DO $$ BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'dfs') THEN CREATE SCHEMA dfs; END IF;
END $$;
CREATE TABLE IF NOT EXISTS dfs.transaction_types (
    transtype_id SERIAL PRIMARY KEY,
    descr TEXT,
    user_type_a_party TEXT,
    user_type_b_party TEXT
);
CREATE TABLE IF NOT EXISTS dfs.transactions (
    id BIGSERIAL PRIMARY KEY,
    amount NUMERIC(14, 4),
    discount NUMERIC(14, 4),
    fee NUMERIC(14, 4),
    commission NUMERIC(14, 4),
    timestamp TIMESTAMPTZ
);
CREATE TABLE IF NOT EXISTS dfs.subscribers (
    id BIGSERIAL PRIMARY KEY,
    msisdn TEXT
);
CREATE TABLE IF NOT EXISTS dfs.transactions_metadata (
    transaction_id BIGINT REFERENCES dfs.transactions (id),
    subscriber_id BIGINT REFERENCES dfs.subscribers (id),
    cell_id TEXT NOT NULL,
    cell_version INTEGER NOT NULL,
    is_outgoing BOOLEAN,
    FOREIGN KEY (cell_id, cell_version) REFERENCES infrastructure.cells (id, version)
);
CREATE INDEX IF NOT EXISTS dfs_transactions_timestamp_index ON dfs.transactions (timestamp);
CREATE INDEX IF NOT EXISTS dfs_transactions_metadata_transaction_id_index ON dfs.transactions_metadata (transaction_id);
