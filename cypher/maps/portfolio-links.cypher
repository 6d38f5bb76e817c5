// name: portfolio-links
// purpose: Pairs of groups that share contacts (people employed in both families, now or before).
// params: -
// columns: group_a, group_b, shared_contacts
MATCH (c:Contact)-[:WORKS_AT]->(a:Company)
MATCH (c)-[:WORKS_AT]->(b:Company)
WHERE a.group_id < b.group_id AND c.active = true AND a.active = true AND b.active = true
RETURN a.group_id AS group_a, b.group_id AS group_b, count(DISTINCT c) AS shared_contacts
ORDER BY group_a, group_b
