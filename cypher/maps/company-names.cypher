// name: company-names
// purpose: Names of the given companies, for showing ids to people.
// params: ids
// columns: account_id, name
MATCH (c:Company)
WHERE c.account_id IN $ids
RETURN c.account_id AS account_id, c.name AS name
ORDER BY account_id
