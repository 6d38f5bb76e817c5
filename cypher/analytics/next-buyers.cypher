// name: next-buyers
// purpose: Which members buy next: per live buying wave or HQ policy family, the members not yet approached, ranked by how soon they are likely to buy, with an expected date window and the reasons.
// params: group_id=null, min_members=3, window_days=90, live_days=180, top=null, as_of=@today
// fragments: in-force
// columns: group_id, product_family, account_id, account_name, rank, expected_from, expected_to, score, reasons
// python: min_members, window_days, live_days, top
// Cypher gathers per (group, family) the members with their parent on as_of, every deal of
// the family with its dates, and the HQ's policies for the family with the members they bind.
// kamgraph/queries/finish/next_buyers.py finds the wave (the same densest window as
// procurement-links), keeps it when it is live (its last deal within live_days of as_of, or
// a policy covers the family), and scores each member without a deal in the wave: siblings
// under the same parent already in the wave, the member's own earlier deals of the family,
// a policy binding it; the expected window follows the wave's pace.
MATCH (g:Company)
WHERE g.group_id = g.account_id AND ($group_id IS NULL OR g.account_id = $group_id)
MATCH (m:Company)
WHERE m.group_id = g.account_id AND m.active = true
OPTIONAL MATCH (m)-[r:SUBSIDIARY_OF|BRANCH_OF]->(up:Company)
WHERE @in-force(r, $as_of) AND up.group_id = g.account_id
WITH g, m, collect(DISTINCT up.account_id) AS parents
WITH g, collect({account_id: m.account_id, name: m.name, parents: parents}) AS members
MATCH (b:Company)-[:HAS_DEAL]->(d:Deal)-[:INCLUDES]->(p:Product)
WHERE b.group_id = g.account_id AND b.active = true AND d.active = true AND d.created <= $as_of
WITH g, members, p.family AS family, b, d
ORDER BY d.created, d.deal_id
WITH g, members, family,
     collect(DISTINCT {account_id: b.account_id, deal_id: d.deal_id,
                       status: CASE WHEN d.status <> 'open' AND d.closed > $as_of THEN 'open'
                                    ELSE d.status END,
                       created: d.created, closed: d.closed}) AS deals
OPTIONAL MATCH (pol:Policy)-[:ISSUED_BY]->(g)
WHERE pol.product_family = family AND coalesce(pol.issued_on, '0000') <= $as_of
  AND pol.active = true
CALL (pol) {
  OPTIONAL MATCH (pol)-[ap:APPLIES_TO]->(bound:Company)
  WHERE ap.active = true
  RETURN bound
}
WITH g, members, family, deals, pol, collect(DISTINCT bound.account_id) AS bound
WITH g, members, family, deals,
     collect(DISTINCT {policy_id: pol.policy_id, issued_on: pol.issued_on,
                       applies_to_all: pol.applies_to_all, members: bound}) AS policies
RETURN g.account_id AS group_id, family AS product_family, members, deals, policies
ORDER BY group_id, product_family
