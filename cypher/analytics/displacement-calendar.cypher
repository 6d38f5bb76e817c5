// name: displacement-calendar
// purpose: When a competitor's contract at a member we lost is likely to come up again: the lost deal's close date plus the contract term, within a horizon.
// params: group_id=null, horizon=365, default_term_months=36, as_of=@today
// columns: group_id, account_id, account_name, product_family, competitor, lost_deal_id, lost_on, term_months, term_source, expected_renewal, days_until, evidence
// python: horizon, default_term_months
// Two parts (part = 'lost' | 'won'): every closed deal of the group's members, with the
// contract end or term the export states (Opportunity Contract_End_Date__c /
// Contract_Term__c), and every won deal of the portfolio, from which
// kamgraph/queries/finish/displacement_calendar.py learns our own renewal cadence per family
// (the median months between a member's successive won deals of a family).
MATCH (g:Company)
WHERE g.group_id = g.account_id AND ($group_id IS NULL OR g.account_id = $group_id)
MATCH (b:Company)-[:HAS_DEAL]->(d:Deal)-[:INCLUDES]->(p:Product)
WHERE b.group_id = g.account_id AND b.active = true AND d.active = true
  AND d.status IN ['won', 'lost'] AND d.closed <= $as_of
OPTIONAL MATCH (d)-[:LOST_TO]->(winner:Competitor)
RETURN DISTINCT 'lost' AS part, g.account_id AS group_id, b.account_id AS account_id,
       b.name AS account_name, p.family AS product_family, d.deal_id AS deal_id,
       d.status AS status, d.closed AS closed, d.contract_end AS contract_end,
       d.contract_term_months AS contract_term_months, winner.name AS competitor
UNION ALL
MATCH (b:Company)-[:HAS_DEAL]->(d:Deal)-[:INCLUDES]->(p:Product)
WHERE b.active = true AND d.active = true AND d.status = 'won' AND d.closed <= $as_of
RETURN DISTINCT 'won' AS part, null AS group_id, b.account_id AS account_id,
       null AS account_name, p.family AS product_family, d.deal_id AS deal_id,
       d.status AS status, d.closed AS closed, null AS contract_end,
       null AS contract_term_months, null AS competitor
