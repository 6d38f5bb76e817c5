// name: group-roles
// purpose: Decision roles of active contacts on the deals of one group's active members (or every group's) created by a date.
// params: group_id=null, as_of=@today
// columns: contact_id, deal_id, account_id, group_id, role, is_primary
// account_id is the deal's company; the contact may work elsewhere in the group (or outside:
// consumers keep the roles of the group's people).
MATCH (m:Company)
WHERE m.group_id IS NOT NULL AND ($group_id IS NULL OR m.group_id = $group_id)
  AND m.active = true
MATCH (c:Contact)-[r:ROLE_IN]->(d:Deal)<-[:HAS_DEAL]-(m)
WHERE c.active = true AND d.active = true AND d.created <= $as_of
RETURN c.contact_id AS contact_id, d.deal_id AS deal_id, m.account_id AS account_id,
       m.group_id AS group_id, r.role AS role, coalesce(r.is_primary, false) AS is_primary
ORDER BY group_id, deal_id, contact_id, role
