// name: record-role-changes
// purpose: Before decision roles are updated, keep the role a contact had on a deal.
// params: rows, today
// columns: changed
// rows: [{from: contact_id, to: deal_id, role}]. The old role moves to previous_roles
// ("<role> (until <date>)") and role_since records when the new role began.
UNWIND $rows AS row
MATCH (c:Contact {contact_id: row.from})-[r:ROLE_IN]->(d:Deal {deal_id: row.to})
WHERE r.role IS NOT NULL AND r.role <> row.role
SET r.previous_roles = coalesce(r.previous_roles, []) + [r.role + ' (until ' + $today + ')'],
    r.role_since = $today
RETURN count(r) AS changed
