// name: group-whitespace
// purpose: Product families that peer groups of the same industry buy from us but no member of this group has bought.
// params: group_id=null, as_of=@today, currency=null
// columns: group_id, group_name, industry, product_family, peer_groups, peer_revenue, base_currency, peer_revenue_base, unconverted_count
// python: currency
// A group's industry is the industry of its top company (groups whose top has none are left
// out). Peer groups are the other groups whose top company has the same industry. A family is
// whitespace for the group when at least one peer group won it and no active member of the
// group did. Won means status 'won', active deal, closed (else created) on or before as_of;
// members are active companies; families come from line items.
//   peer_groups   how many peer groups won the family
//   peer_revenue  sum of Deal.amount of the peers' won deals for the family (each deal once,
//                 in the deals' own currencies); peer_revenue_base converts each deal at the
//                 rate of its close date (docs/queries.md, "Currencies")
MATCH (g:Company)
WHERE g.group_id = g.account_id AND g.industry IS NOT NULL
  AND ($group_id IS NULL OR g.account_id = $group_id)
MATCH (peer:Company)
WHERE peer.group_id = peer.account_id AND peer.industry = g.industry
  AND peer.account_id <> g.account_id
MATCH (b:Company)-[:HAS_DEAL]->(d:Deal)-[:INCLUDES]->(p:Product)
WHERE b.group_id = peer.account_id AND b.active = true AND d.active = true
  AND d.status = 'won' AND coalesce(d.closed, d.created) <= $as_of
WITH DISTINCT g, peer, p.family AS family, d
WITH g, family, count(DISTINCT peer) AS peer_groups, round(sum(d.amount), 2) AS peer_revenue,
     collect({amount: d.amount, currency: d.currency, day: coalesce(d.closed, d.created)})
       AS peer_deals
OPTIONAL MATCH (m:Company)-[:HAS_DEAL]->(own:Deal)-[:INCLUDES]->(op:Product)
WHERE m.group_id = g.account_id AND m.active = true AND own.active = true
  AND own.status = 'won' AND coalesce(own.closed, own.created) <= $as_of
  AND op.family = family
WITH g, family, peer_groups, peer_revenue, peer_deals, count(own) AS own_wins
WHERE own_wins = 0
RETURN g.account_id AS group_id, g.name AS group_name, g.industry AS industry,
       family AS product_family, peer_groups, peer_revenue, peer_deals
ORDER BY peer_groups DESC, peer_revenue DESC, group_id, product_family
