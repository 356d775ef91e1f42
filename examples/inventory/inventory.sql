-- The stock pipeline of examples/inventory as ksqlDB SQL: movements in, a table of stock
-- levels per item and a stream of low-stock alerts out.
-- Run it with: go run ./cmd/ksqlgo run examples/inventory/inventory.sql
-- (the Go DSL version is inventory.go; a test checks that both produce the same levels).

CREATE STREAM stock_movements (
  item STRING KEY,
  store STRING,
  type STRING,
  qty BIGINT
) WITH (KAFKA_TOPIC='stock_movements', VALUE_FORMAT='JSON', PARTITIONS=1);

CREATE TABLE stock_levels WITH (KAFKA_TOPIC='stock_levels') AS
  SELECT
    item,
    SUM(CASE WHEN type IN ('RECEIVED', 'RETURNED') THEN qty
             WHEN type = 'SOLD' THEN -qty
             ELSE CAST(0 AS BIGINT) END) AS qty
  FROM stock_movements
  GROUP BY item
  EMIT CHANGES;

-- The table's changelog topic read as a stream of level changes.
CREATE STREAM stock_level_changes (item STRING KEY, qty BIGINT)
  WITH (KAFKA_TOPIC='stock_levels', VALUE_FORMAT='JSON');

CREATE STREAM low_stock_alerts WITH (KAFKA_TOPIC='low_stock_alerts') AS
  SELECT item, qty FROM stock_level_changes WHERE qty < 10 EMIT CHANGES;
