// name: set-company-facts
// purpose: Store facts a hierarchy source states about a known company (GLEIF ultimate parent, reporting exceptions).
// params: rows
// columns: updated
// rows: [{key, props}]; companies not in the graph are skipped.
UNWIND $rows AS row
MATCH (n:Company {account_id: row.key})
SET n += row.props
RETURN count(n) AS updated
