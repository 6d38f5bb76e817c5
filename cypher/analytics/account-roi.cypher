// name: account-roi
// purpose: Revenue, cost, margin and ROI per group and per member over a period, with the trend against the previous period of equal length.
// params: group_id=null, from=null, to=@today, currency=null
// columns: level, group_id, account_id, name, revenue, cost, margin, roi, prev_revenue, prev_cost, revenue_trend, base_currency, revenue_base, cost_base, margin_base, roi_base, prev_revenue_base, prev_cost_base, revenue_trend_base, unconverted_count, currencies
// python: from, currency
// The period is from..to, both days included; from = null means to minus 365 days. The
// previous period has the same number of days and ends the day before from. Revenue is the sum
// of FinanceEntry kind 'invoice', cost of kind 'cost' (credit notes booked as negative cost
// lower it), summed in the entries' own currencies; the *_base columns convert each day's sum
// to the base currency `currency` (docs/queries.md, "Currencies"). Cypher returns each
// company's entries up to `to` summed per day and currency; the Python step (kamgraph/queries/finish/account_roi.py) cuts the
// periods and computes margin = revenue - cost, roi = margin / cost (null when cost is 0) and
// revenue_trend = (revenue - prev_revenue) / prev_revenue (null when prev_revenue is 0).
MATCH (g:Company)
WHERE g.group_id = g.account_id AND ($group_id IS NULL OR g.account_id = $group_id)
MATCH (f:FinanceEntry)-[:BILLED_TO]->(m:Company)
WHERE m.group_id = g.account_id AND f.date <= $to
WITH g, m, f.date AS day, f.currency AS currency, count(f) AS entries,
     round(sum(CASE WHEN f.kind = 'invoice' THEN f.amount ELSE 0 END), 2) AS revenue,
     round(sum(CASE WHEN f.kind = 'cost' THEN f.amount ELSE 0 END), 2) AS cost
ORDER BY day
WITH g, m, collect({day: day, currency: currency, entries: entries, revenue: revenue, cost: cost}) AS days
RETURN g.account_id AS group_id, g.name AS group_name, m.account_id AS account_id,
       m.name AS name, days
ORDER BY group_id, account_id
