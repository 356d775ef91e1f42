-- The fraud rules of examples/fraud as ksqlDB SQL: payments (JSON, keyed by card) in,
-- alerts out. Run it with: go run ./cmd/ksqlgo run examples/fraud/fraud.sql
-- (the Go DSL version is fraud.go; a test checks that both produce the same alerts).

CREATE STREAM payments (
  card STRING KEY,
  id STRING,
  amount DOUBLE,
  currency STRING,
  merchant STRING,
  category STRING,
  country STRING,
  card_country STRING,
  ts BIGINT
) WITH (KAFKA_TOPIC='payments', VALUE_FORMAT='JSON', PARTITIONS=1);

CREATE STREAM fraud_alerts WITH (KAFKA_TOPIC='fraud-alerts') AS
  SELECT
    card,
    id AS payment_id,
    amount,
    country,
    merchant,
    FILTER(ARRAY[
      CASE WHEN amount >= 5000 THEN 'LARGE_AMOUNT' END,
      CASE WHEN country <> card_country AND amount >= 1000 THEN 'FOREIGN_HIGH_VALUE' END,
      CASE WHEN category IN ('crypto', 'gambling') AND amount >= 500 THEN 'RISKY_MERCHANT' END
    ], r => r IS NOT NULL) AS rules
  FROM payments
  WHERE amount >= 5000
     OR (country <> card_country AND amount >= 1000)
     OR (category IN ('crypto', 'gambling') AND amount >= 500)
  EMIT CHANGES;
