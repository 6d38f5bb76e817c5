// name: pending-links
// purpose: Every pending link reference, oldest statement first (the order they are retried in).
// params: -
// columns: pending_id, statement, source, system, run_id, stated_at, from_key, to_key, props
// Oldest first: where two sources state the same link, the later statement wins, as it would
// have if both runs had found the other end.
MATCH (p:PendingLink)
WHERE p.state IS NULL
RETURN p.pending_id AS pending_id, p.statement AS statement, p.source AS source,
       coalesce(p.system, p.source) AS system,
       p.run_id AS run_id, p.stated_at AS stated_at, p.from_key AS from_key,
       p.to_key AS to_key, p.props AS props
ORDER BY stated_at, run_id, pending_id
