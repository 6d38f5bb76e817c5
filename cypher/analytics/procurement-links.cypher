// name: procurement-links
// purpose: HQ-to-branch buying waves: per group and product family, who bought, lost, or was never approached.
// params: group_id=null, deal_id=null, min_members=3, window_days=90, waves_only=false, as_of=@today
// fragments: employed-on, in-force
// columns: group_id, group_name, product_family, is_wave, window_start, window_end, won, lost, open, untouched, hq_contacts, policies, suggested_action, central_buying, central_evidence
// python: min_members, window_days, waves_only
// A group is a corporate family: the top company and every member at any depth. Cypher gathers
// per (group, family) the members, the deals with their dates and outcome, the contacts we
// know at HQ and the HQ's procurement policies; the Python step finds the densest window of
// deals, decides is_wave (>= min_members distinct members within window_days, or a policy
// covering the family) and lists the untouched members.
// Central buying: the role holders of each deal (hq_roles) and who is employed where on
// as_of (uplinks' staff); the Python step keeps those at the HQ or at a parent of the deal's
// member who hold roles on deals of >= 2 members within window_days.
MATCH (g:Company)
WHERE g.group_id = g.account_id AND ($group_id IS NULL OR g.account_id = $group_id)
MATCH (m:Company)
WHERE m.group_id = g.account_id AND m.active = true
OPTIONAL MATCH (m)-[up:SUBSIDIARY_OF|BRANCH_OF]->(parent:Company)
WHERE @in-force(up, $as_of)
WITH g, m, collect(DISTINCT parent.account_id) AS parents
OPTIONAL MATCH (sc:Contact)-[sw:WORKS_AT]->(m)
WHERE @employed-on(sc, sw, $as_of)
WITH g, m, parents, collect(DISTINCT sc.contact_id) AS staff
WITH g, collect(DISTINCT m.account_id) AS members,
     collect({account_id: m.account_id, parents: parents, staff: staff}) AS uplinks
MATCH (b:Company)-[:HAS_DEAL]->(d:Deal)-[:INCLUDES]->(p:Product)
WHERE b.group_id = g.account_id AND b.active = true AND d.active = true AND d.created <= $as_of
OPTIONAL MATCH (d)-[:LOST_TO]->(winner:Competitor)
WITH g, members, uplinks, p.family AS family, b, d, winner
ORDER BY d.created, d.deal_id
WITH g, members, uplinks, family,
     collect(DISTINCT {account_id: b.account_id, deal_id: d.deal_id,
                       status: CASE WHEN d.status <> 'open' AND d.closed > $as_of THEN 'open'
                                    ELSE d.status END,
                       created: d.created, closed: d.closed, competitor: winner.name}) AS deals
WHERE $deal_id IS NULL OR any(x IN deals WHERE x.deal_id = $deal_id)
UNWIND deals AS x
OPTIONAL MATCH (rc:Contact)-[rr:ROLE_IN]->(:Deal {deal_id: x.deal_id})
WITH g, members, uplinks, family, deals,
     collect({account_id: x.account_id, deal_id: x.deal_id, created: x.created,
              contact_id: rc.contact_id, name: rc.name, role: rr.role}) AS hq_roles
OPTIONAL MATCH (c:Contact)-[w:WORKS_AT]->(g)
WHERE @employed-on(c, w, $as_of)
CALL (c) {
  OPTIONAL MATCH (c)-[ro:ROLE_IN]->(:Deal)
  RETURN ro
}
WITH g, members, uplinks, family, deals, hq_roles,
     collect(DISTINCT {contact_id: c.contact_id, role: coalesce(ro.role, c.job_title)}) AS hq_contacts
OPTIONAL MATCH (pol:Policy)-[:ISSUED_BY]->(g)
WHERE pol.product_family = family AND coalesce(pol.issued_on, '0000') <= $as_of
WITH g, members, uplinks, family, deals, hq_roles, hq_contacts,
     collect(DISTINCT {policy_id: pol.policy_id, issued_on: pol.issued_on}) AS policies
RETURN g.account_id AS group_id, g.name AS group_name, family AS product_family,
       members, uplinks, deals, hq_roles, hq_contacts, policies
ORDER BY group_id, product_family
