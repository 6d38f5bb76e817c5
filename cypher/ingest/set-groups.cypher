// name: set-groups
// purpose: Store each company's group (its family's top company), depth, hierarchy issue and whether the family is reference data only.
// params: rows
// columns: changed
// rows: [{key, group_id, depth, hierarchy_issue, reference_only}]
UNWIND $rows AS row
MATCH (c:Company {account_id: row.key})
SET c.group_id = row.group_id, c.depth = row.depth, c.hierarchy_issue = row.hierarchy_issue,
    c.reference_only = row.reference_only
RETURN count(c) AS changed
