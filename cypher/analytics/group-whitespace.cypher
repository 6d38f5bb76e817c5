// name: group-whitespace
// purpose: Product families that peer groups of the same industry buy from us but no member of this group has bought.
// params: group_id=null, as_of=@today, currency=null
// columns: group_id, group_name, industry, product_family, peer_groups, peer_revenue, base_currency, peer_revenue_base, unconverted_count
// python: currency
// A group's industry is the industry of its top company (groups whose top has none are left
// out, and so are families known only from reference data: reference_only). Peer groups are the other groups whose top company has the same industry. A family is
// whitespace for the group when at least one peer group won it and no active member of the
// group did. Won means status 'won', active deal, closed (else created) on or before as_of;
// members are active companies; families come from line items.
//   peer_groups   how many peer groups won the family
//   peer_revenue  sum of Deal.amount of the peers' won deals for the family (each deal once,
//                 in the deals' own currencies); peer_revenue_base converts each deal at the
//                 rate of its close date (docs/queries.md, "Currencies")
// Wins are gathered once per industry (each peer's families with their deals), then set
// beside every group of that industry: a group's own wins are among them, so a family is
// whitespace when the group is not one of its winners.
MATCH (g:Company)
WHERE g.group_id = g.account_id AND ($group_id IS NULL OR g.account_id = $group_id)
  AND g.industry IS NOT NULL AND coalesce(g.reference_only, false) = false
WITH DISTINCT g.industry AS industry
MATCH (peer:Company)
WHERE peer.industry = industry AND peer.group_id = peer.account_id
  AND coalesce(peer.reference_only, false) = false
// A list, not a join on peer.account_id: Neo4j would scan every member's deals and seek the
// peer from each (measured: 6x the db hits for one group at 10k companies).
WITH industry, collect(peer.account_id) AS peers
MATCH (b:Company)-[:HAS_DEAL]->(d:Deal)-[:INCLUDES]->(p:Product)
WHERE b.group_id IN peers AND b.active = true AND d.active = true
  AND d.status = 'won' AND coalesce(d.closed, d.created) <= $as_of
WITH DISTINCT industry, b.group_id AS winner, p.family AS family, d
WITH industry, family, winner, sum(d.amount) AS revenue,
     collect({amount: d.amount, currency: d.currency, day: coalesce(d.closed, d.created)})
       AS deals
WITH industry, collect({family: family, winner: winner, revenue: revenue, deals: deals}) AS wins
MATCH (g:Company)
WHERE g.group_id = g.account_id AND ($group_id IS NULL OR g.account_id = $group_id)
  AND g.industry = industry AND coalesce(g.reference_only, false) = false
WITH g, [w IN wins WHERE w.winner = g.account_id | w.family] AS own, wins
UNWIND wins AS w
WITH g, own, w
WHERE NOT w.family IN own
WITH g, w.family AS family, count(*) AS peer_groups, round(sum(w.revenue), 2) AS peer_revenue,
     collect(w.deals) AS deal_lists
RETURN g.account_id AS group_id, g.name AS group_name, g.industry AS industry,
       family AS product_family, peer_groups, peer_revenue,
       reduce(acc = [], x IN deal_lists | acc + x) AS peer_deals
ORDER BY peer_groups DESC, peer_revenue DESC, group_id, product_family
