// name: stamp-moves
// purpose: Date the new employment of contacts who moved in this run (since = old one's until).
// params: run_id
// columns: stamped
// A first load knows no start dates (since stays null: "as far back as we know"); a move seen
// by a later run starts the new employment the day the old one ended.
MATCH (c:Contact)-[new:WORKS_AT]->(:Company)
WHERE new.first_run_id = $run_id AND new.since IS NULL AND new.active = true
MATCH (c)-[old:WORKS_AT]->(:Company)
WHERE old.active = false AND old.until IS NOT NULL
WITH new, max(old.until) AS moved_on
SET new.since = moved_on
RETURN count(new) AS stamped
