// name: key-account-candidates
// purpose: Score every group on attractiveness and our relative strength, place it in the McDonald key-account matrix (strategic, star, status, streamline) and rank it; flags entry points into larger families.
// params: region=null, as_of=@today, currency=null
// columns: rank, group_id, group_name, region, industry, quadrant, attractiveness, strength, entry_point, members, revenue_12m, revenue_prev_12m, revenue_trend, base_currency, revenue_12m_base, revenue_prev_12m_base, revenue_trend_base, unconverted_count, currencies, deals, win_rate, decision_role_coverage, tenure_years, whitespace
// python: region, currency
// Cypher gathers per group (top company = group_id = account_id): its active members, its
// active deals created on or before as_of (member, status, dates, product families, the
// ROLE_IN roles on it) and its invoices (FinanceEntry kind 'invoice', dated on or before as_of)
// summed per day and currency. The Python step (kamgraph/queries/finish/key_account_candidates.py) derives
// the measures, scores every group against all others, splits at the medians, filters by
// region and ranks; revenue is scored in the base currency `currency` (docs/queries.md,
// "Currencies"). docs/queries/key-account-candidates.md explains each score. Families known
// only from reference data (GLEIF, Exhibit 21, D&B: reference_only) are context, not candidates.
// Each aggregation groups by the group and plain values only: invoices per day first, then one
// row per group collects its deals (families and roles by pattern comprehensions that start at
// the bound deal - kglite scans every contact for one that starts elsewhere - repeats
// possible). Carrying a collected list into a later aggregation's grouping key made Neo4j
// account for the list once per key and ran out of its transaction memory at 10k companies.
MATCH (g:Company)
WHERE g.group_id = g.account_id AND coalesce(g.reference_only, false) = false
OPTIONAL MATCH (m:Company)
WHERE m.group_id = g.account_id AND m.active = true
WITH g, count(DISTINCT m) AS members
OPTIONAL MATCH (f:FinanceEntry)-[:BILLED_TO]->(fc:Company)
WHERE fc.group_id = g.account_id AND f.kind = 'invoice' AND f.date <= $as_of
WITH g, members, f.date AS day, f.currency AS currency, count(f) AS entries,
     round(sum(f.amount), 2) AS amount
ORDER BY day, currency
WITH g, members,
     collect({day: day, currency: currency, entries: entries, amount: amount}) AS invoices
OPTIONAL MATCH (b:Company)-[:HAS_DEAL]->(d:Deal)
WHERE b.group_id = g.account_id AND b.active = true AND d.active = true
  AND d.created <= $as_of
WITH g, members, invoices, b, d
ORDER BY d.deal_id
WITH g, members, invoices,
     collect(CASE WHEN d IS NOT NULL THEN
       {deal_id: d.deal_id, account_id: b.account_id, status: d.status, created: d.created,
        closed: d.closed, families: [(d)-[:INCLUDES]->(p:Product) | p.family],
        roles: [(d)<-[ro:ROLE_IN]-(:Contact) | ro.role]} END) AS deals
RETURN g.account_id AS group_id, g.name AS group_name, g.region AS region,
       g.industry AS industry, members, deals, invoices
ORDER BY group_id
