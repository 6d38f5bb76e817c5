// name: parent-links
// purpose: Every active parent link, for recomputing corporate families in Python.
// params: -
// columns: child, parent, rel_type, source
MATCH (c:Company)-[r:SUBSIDIARY_OF|BRANCH_OF]->(p:Company)
WHERE r.active = true
RETURN c.account_id AS child, p.account_id AS parent, type(r) AS rel_type, r.source AS source
ORDER BY child, parent
