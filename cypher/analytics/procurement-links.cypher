// name: procurement-links
// purpose: HQ-to-branch buying waves: per group and product family, who bought, lost, or was never approached.
// params: group_id=null, deal_id=null, min_members=3, window_days=90, waves_only=false, as_of=@today
// fragments: employed-on
// columns: group_id, group_name, product_family, is_wave, window_start, window_end, won, lost, open, untouched, hq_contacts, policies, suggested_action
// python: min_members, window_days, waves_only
// A group is a corporate family: the top company and every member at any depth. Cypher gathers
// per (group, family) the members, the deals with their dates and outcome, the contacts we
// know at HQ and the HQ's procurement policies; the Python step finds the densest window of
// deals, decides is_wave (>= min_members distinct members within window_days, or a policy
// covering the family) and lists the untouched members.
MATCH (g:Company)
WHERE g.group_id = g.account_id AND ($group_id IS NULL OR g.account_id = $group_id)
MATCH (m:Company)
WHERE m.group_id = g.account_id AND m.active = true
WITH g, collect(DISTINCT m.account_id) AS members
MATCH (b:Company)-[:HAS_DEAL]->(d:Deal)-[:INCLUDES]->(p:Product)
WHERE b.group_id = g.account_id AND b.active = true AND d.active = true AND d.created <= $as_of
OPTIONAL MATCH (d)-[:LOST_TO]->(winner:Competitor)
WITH g, members, p.family AS family, b, d, winner
ORDER BY d.created, d.deal_id
WITH g, members, family,
     collect(DISTINCT {account_id: b.account_id, deal_id: d.deal_id,
                       status: CASE WHEN d.status <> 'open' AND d.closed > $as_of THEN 'open'
                                    ELSE d.status END,
                       created: d.created, closed: d.closed, competitor: winner.name}) AS deals
WHERE $deal_id IS NULL OR any(x IN deals WHERE x.deal_id = $deal_id)
OPTIONAL MATCH (c:Contact)-[w:WORKS_AT]->(g)
WHERE @employed-on(c, w, $as_of)
OPTIONAL MATCH (c)-[ro:ROLE_IN]->(:Deal)
WITH g, members, family, deals,
     collect(DISTINCT {contact_id: c.contact_id, role: coalesce(ro.role, c.job_title)}) AS hq_contacts
OPTIONAL MATCH (pol:Policy)-[:ISSUED_BY]->(g)
WHERE pol.product_family = family AND coalesce(pol.issued_on, '0000') <= $as_of
WITH g, members, family, deals, hq_contacts,
     collect(DISTINCT {policy_id: pol.policy_id, issued_on: pol.issued_on}) AS policies
RETURN g.account_id AS group_id, g.name AS group_name, family AS product_family,
       members, deals, hq_contacts, policies
ORDER BY group_id, product_family
