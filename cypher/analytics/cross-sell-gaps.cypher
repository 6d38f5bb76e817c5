// name: cross-sell-gaps
// purpose: Whitespace inside each family: members that never bought a product family another member of their group bought from us, ranked by evidence.
// params: group_id=null, min_evidence=1, as_of=@today, currency=null
// columns: group_id, group_name, account_id, account_name, product_family, evidence, evidence_revenue, base_currency, evidence_revenue_base, unconverted_count, lost_to
// python: currency
// A gap is a (member, product family) where the member has no won deal for the family while at
// least one other member of its group has. Members are the active companies with the group's
// group_id, the top company included. A deal counts as won when its status is 'won', it is
// active and it closed on or before as_of (closed, else created); its product families come
// from its line items (INCLUDES -> Product.family).
//   evidence          how many other members won the family (all of its buyers in the group)
//   evidence_revenue  sum of Deal.amount of those won deals, each deal counted once per family,
//                     in the deals' own currencies (as given); evidence_revenue_base converts
//                     each deal at the rate of its close date (docs/queries.md, "Currencies")
//   lost_to           the competitor (LOST_TO) when the member's latest deal for the family
//                     (created on or before as_of; latest by closed, else created, then deal_id)
//                     was lost by as_of; else null (no deal, open, or lost to nobody named)
// The member's latest deal for the family is found per row in a subquery, so the group's lists
// (buyers, evidence_deals) are never grouping keys, and the keys are values, not nodes
// (docs/portable-cypher.md, rules 16 and 17).
MATCH (g:Company)
WHERE g.group_id = g.account_id AND ($group_id IS NULL OR g.account_id = $group_id)
MATCH (b:Company)-[:HAS_DEAL]->(d:Deal)-[:INCLUDES]->(p:Product)
WHERE b.group_id = g.account_id AND b.active = true AND d.active = true AND d.status = 'won'
  AND coalesce(d.closed, d.created) <= $as_of
WITH DISTINCT g.account_id AS group_id, p.family AS family, b.account_id AS buyer,
     d.deal_id AS deal_id, d.amount AS amount, d.currency AS currency,
     coalesce(d.closed, d.created) AS day
WITH group_id, family, collect(DISTINCT buyer) AS buyers, round(sum(amount), 2) AS evidence_revenue,
     collect({amount: amount, currency: currency, day: day}) AS evidence_deals
WHERE size(buyers) >= $min_evidence
MATCH (m:Company)
WHERE m.group_id = group_id AND m.active = true AND NOT m.account_id IN buyers
CALL (m, family) {
  OPTIONAL MATCH (m)-[:HAS_DEAL]->(last:Deal)-[:INCLUDES]->(lp:Product)
  WHERE lp.family = family AND last.active = true AND last.created <= $as_of
  CALL (last) {
    OPTIONAL MATCH (last)-[:LOST_TO]->(winner:Competitor)
    RETURN winner
  }
  WITH DISTINCT last, winner
  ORDER BY coalesce(last.closed, last.created) DESC, last.deal_id DESC, winner.name
  RETURN collect({status: last.status, closed: coalesce(last.closed, last.created),
                  competitor: winner.name})[0] AS latest
}
RETURN group_id, m.account_id AS account_id, m.name AS account_name,
       family AS product_family, size(buyers) AS evidence, evidence_revenue,
       CASE WHEN latest.status = 'lost' AND latest.closed <= $as_of THEN latest.competitor
            ELSE null END AS lost_to, evidence_deals
ORDER BY evidence DESC, evidence_revenue DESC, group_id, account_id, product_family
