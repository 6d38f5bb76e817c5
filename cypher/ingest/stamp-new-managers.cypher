// name: stamp-new-managers
// purpose: Date the new manager link of contacts whose manager changed in this run (since = old one's until).
// params: run_id
// columns: stamped
// As stamp-moves does for employments: a first load knows no start dates (since stays null),
// a change seen by a later run starts the new link the day the old one ended.
MATCH (c:Contact)-[new:REPORTS_TO]->(:Contact)
WHERE new.first_run_id = $run_id AND new.since IS NULL AND new.active = true
MATCH (c)-[old:REPORTS_TO]->(:Contact)
WHERE old.active = false AND old.until IS NOT NULL
WITH new, max(old.until) AS changed_on
SET new.since = changed_on
RETURN count(new) AS stamped
