// name: warm-paths
// purpose: Who can introduce us: short paths from contacts who back us to a target company or contact, ranked by length and strength.
// params: target=null, max_hops=4, as_of=@today
// fragments: employed-on, ended-by, in-force
// columns: target, target_name, via_contact_id, via_name, hops, path, strength, reason
// python: max_hops
// target is an account_id or a contact_id; null means every group's top company where we know
// nobody on as_of (the HQs to get introduced to). Our relationships ("warm" contacts) and
// their strength points:
//   attitude Mentor 3, Supporter 2;
//   Champion 3 or Coach 2 on a deal won on or before as_of;
//   moved 1: an employment that ended and an active one at another company (they know us
//   and now sit somewhere new).
// A person with several Contact records (matched as people-moves does: email, LinkedIn URL,
// name plus phone or email local part; part = 'identity') is warm on each of their records
// whose email has not bounced: a champion who moved introduces us from where they are now.
// A contact's strength is the sum of its best points per kind. The walk goes both ways along
// current WORKS_AT (employment on as_of), REPORTS_TO, active SUBSIDIARY_OF / BRANCH_OF, and
// ROLE_IN (two people on one deal know each other).
//
// Why Python walks the graph: this Cypher only lists the target(s), the warm contacts and
// the edges (part = 'target' | 'warm' | 'edge'); kamgraph/queries/finish/warm_paths.py runs
// one breadth-first search from each target. A parameter cannot bound a variable-length
// pattern portably, an undirected *1..4 over five relationship types enumerates every path
// (not just the shortest per contact) and grows fast with each hop, and kglite caps
// variable-length walks at 10. The search gives each warm contact's shortest path within
// max_hops, with ties broken by id so both backends return the same path.
MATCH (t:Company)
WHERE t.active = true
  AND (($target IS NULL AND t.group_id = t.account_id) OR t.account_id = $target)
OPTIONAL MATCH (c:Contact)-[w:WORKS_AT]->(t)
WHERE @employed-on(c, w, $as_of)
WITH t, count(c) AS known
WHERE $target IS NOT NULL OR known = 0
RETURN 'target' AS part, 'company' AS kind, t.account_id AS key, t.name AS name,
       null AS other_kind, null AS other_key, null AS other_name, null AS detail,
       0 AS points
UNION ALL
MATCH (t:Contact)
WHERE t.contact_id = $target
RETURN 'target' AS part, 'contact' AS kind, t.contact_id AS key, t.name AS name,
       null AS other_kind, null AS other_key, null AS other_name, null AS detail,
       0 AS points
UNION ALL
MATCH (c:Contact)
WHERE c.active = true AND c.attitude IN ['Mentor', 'Supporter']
RETURN 'warm' AS part, 'attitude' AS kind, c.contact_id AS key, c.name AS name,
       null AS other_kind, null AS other_key, null AS other_name, c.attitude AS detail,
       CASE c.attitude WHEN 'Mentor' THEN 3 ELSE 2 END AS points
UNION ALL
MATCH (c:Contact)-[ro:ROLE_IN]->(d:Deal)
WHERE c.active = true AND ro.role IN ['Champion', 'Coach'] AND d.status = 'won'
  AND d.closed <= $as_of AND d.active = true
RETURN 'warm' AS part, 'won_role' AS kind, c.contact_id AS key, c.name AS name,
       'deal' AS other_kind, d.deal_id AS other_key, d.name AS other_name,
       ro.role + ' on won deal ' + coalesce(d.name, d.deal_id) AS detail,
       CASE ro.role WHEN 'Champion' THEN 3 ELSE 2 END AS points
UNION ALL
MATCH (c:Contact)-[old:WORKS_AT]->(was:Company)
WHERE c.active = true AND @ended-by(old, $as_of)
MATCH (c)-[w:WORKS_AT]->(now:Company)
WHERE now.account_id <> was.account_id AND @employed-on(c, w, $as_of)
RETURN 'warm' AS part, 'moved' AS kind, c.contact_id AS key, c.name AS name,
       'company' AS other_kind, now.account_id AS other_key, now.name AS other_name,
       'moved from ' + was.name + ' to ' + now.name AS detail, 1 AS points
UNION ALL
MATCH (c:Contact)-[w:WORKS_AT]->(m:Company)
WHERE @employed-on(c, w, $as_of)
RETURN 'edge' AS part, 'contact' AS kind, c.contact_id AS key, c.name AS name,
       'company' AS other_kind, m.account_id AS other_key, m.name AS other_name,
       'WORKS_AT' AS detail, 0 AS points
UNION ALL
MATCH (a:Contact)-[r:REPORTS_TO]->(b:Contact)
WHERE a.active = true AND b.active = true AND @in-force(r, $as_of)
RETURN 'edge' AS part, 'contact' AS kind, a.contact_id AS key, a.name AS name,
       'contact' AS other_kind, b.contact_id AS other_key, b.name AS other_name,
       'REPORTS_TO' AS detail, 0 AS points
UNION ALL
MATCH (a:Company)-[r:SUBSIDIARY_OF|BRANCH_OF]->(b:Company)
WHERE @in-force(r, $as_of)
RETURN 'edge' AS part, 'company' AS kind, a.account_id AS key, a.name AS name,
       'company' AS other_kind, b.account_id AS other_key, b.name AS other_name,
       type(r) AS detail, 0 AS points
UNION ALL
MATCH (c:Contact)-[:ROLE_IN]->(d:Deal)
WHERE c.active = true AND d.active = true AND d.created <= $as_of
RETURN 'edge' AS part, 'contact' AS kind, c.contact_id AS key, c.name AS name,
       'deal' AS other_kind, d.deal_id AS other_key, d.name AS other_name,
       'ROLE_IN' AS detail, 0 AS points
UNION ALL
MATCH (c:Contact)
WHERE c.active = true
  AND (c.email IS NOT NULL OR c.linkedin_url IS NOT NULL OR c.phone IS NOT NULL)
RETURN 'identity' AS part, 'contact' AS kind, c.contact_id AS key, c.name AS name,
       null AS other_kind, null AS other_key, null AS other_name,
       {email: c.email, phone: c.phone, linkedin_url: c.linkedin_url,
        email_bounced: c.email_bounced} AS detail,
       0 AS points
