// name: names-of
// purpose: Names of the given account, contact and rep ids, to show beside them.
// params: ids
// columns: id, name
// kamgraph/queries/names.py puts the names beside the ids a query lists.
MATCH (c:Company)
WHERE c.account_id IN $ids
RETURN c.account_id AS id, c.name AS name
UNION ALL
MATCH (p:Contact)
WHERE p.contact_id IN $ids
RETURN p.contact_id AS id, p.name AS name
UNION ALL
MATCH (r:Rep)
WHERE r.rep_id IN $ids
RETURN r.rep_id AS id, r.name AS name
