// name: portfolio-groups
// purpose: Every corporate group with its size, invoiced revenue and deal outcomes as of a date (active members and deals).
// params: as_of, currency=null
// columns: group_id, group_name, industry, region, country, members, revenue, base_currency, revenue_base, unconverted_count, currencies, won, lost, open
// python: currency
// revenue sums the invoices as given; revenue_base converts them to the base currency
// (kamgraph/queries/finish/revenue.py; docs/queries.md, "Currencies").
MATCH (g:Company)
WHERE g.group_id = g.account_id
MATCH (m:Company)
WHERE m.group_id = g.account_id AND m.active = true
WITH g, collect(m) AS members
UNWIND members AS m
OPTIONAL MATCH (m)-[:HAS_DEAL]->(d:Deal)
WHERE d.active = true AND d.created <= $as_of
WITH g, size(members) AS member_count, m, d
WITH g, member_count,
     sum(CASE WHEN d.status = 'won' AND d.closed <= $as_of THEN 1 ELSE 0 END) AS won,
     sum(CASE WHEN d.status = 'lost' AND d.closed <= $as_of THEN 1 ELSE 0 END) AS lost,
     sum(CASE WHEN d IS NOT NULL AND (d.status = 'open' OR d.closed > $as_of) THEN 1 ELSE 0 END) AS open
OPTIONAL MATCH (f:FinanceEntry)-[:BILLED_TO]->(b:Company)
WHERE b.group_id = g.account_id AND b.active = true AND f.kind = 'invoice' AND f.date <= $as_of
WITH g, member_count, won, lost, open, f.date AS day, f.currency AS currency,
     count(f) AS entries, sum(coalesce(f.amount, 0)) AS amount
ORDER BY day, currency
WITH g, member_count, won, lost, open, round(sum(amount), 2) AS revenue,
     collect({day: day, currency: currency, entries: entries, amount: amount}) AS invoices
RETURN g.account_id AS group_id, g.name AS group_name, g.industry AS industry,
       g.region AS region, g.country AS country, member_count AS members, revenue, won, lost,
       open, invoices
ORDER BY group_id
