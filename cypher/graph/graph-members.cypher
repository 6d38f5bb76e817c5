// name: graph-members
// purpose: Companies of one group (or of every group) with their parent link, for the relationship graph.
// params: group_id=null
// columns: account_id, name, group_id, parent_id, parent_type, depth, hierarchy_type, country
// group_id = null reads the whole portfolio. parent_id is the active parent inside the same
// group (null at the top).
MATCH (m:Company)
WHERE m.group_id IS NOT NULL AND ($group_id IS NULL OR m.group_id = $group_id)
OPTIONAL MATCH (m)-[pr:SUBSIDIARY_OF|BRANCH_OF]->(p:Company)
WHERE pr.active = true AND p.group_id = m.group_id
WITH m, p, pr
ORDER BY p.account_id
WITH m, collect(p.account_id)[0] AS parent_id, collect(type(pr))[0] AS parent_type
RETURN m.account_id AS account_id, m.name AS name, m.group_id AS group_id, parent_id,
       parent_type, m.depth AS depth, m.hierarchy_type AS hierarchy_type, m.country AS country
ORDER BY group_id, depth, account_id
