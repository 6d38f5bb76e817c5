// name: group-members
// purpose: The active companies of one group (or of every group) with their parent on a date and their invoiced revenue.
// params: group_id=null, as_of=@today, currency=null
// fragments: in-force, newest-first
// columns: account_id, name, group_id, parent_id, parent_type, depth, hierarchy_type, country, industry, revenue, base_currency, revenue_base, unconverted_count, currencies
// python: currency
// The family tree of the group view (kamgraph/group.py). parent_id is the active parent inside
// the same group whose SUBSIDIARY_OF / BRANCH_OF link held on as_of (null at the top, or when
// the parent is inactive); of two such links the newest wins. revenue sums the invoices
// billed to the member up to as_of.
MATCH (m:Company)
WHERE m.group_id IS NOT NULL AND ($group_id IS NULL OR m.group_id = $group_id)
  AND m.active = true
OPTIONAL MATCH (m)-[pr:SUBSIDIARY_OF|BRANCH_OF]->(p:Company)
WHERE p.group_id = m.group_id AND p.active = true AND @in-force(pr, $as_of)
WITH m, p, pr
ORDER BY @newest-first(pr), p.account_id
WITH m, collect(p.account_id)[0] AS parent_id, collect(type(pr))[0] AS parent_type
OPTIONAL MATCH (f:FinanceEntry)-[:BILLED_TO]->(m)
WHERE f.kind = 'invoice' AND f.date <= $as_of
WITH m, parent_id, parent_type, f.date AS day, f.currency AS currency, count(f) AS entries,
     sum(coalesce(f.amount, 0)) AS amount
ORDER BY day, currency
WITH m, parent_id, parent_type, round(sum(amount), 2) AS revenue,
     collect({day: day, currency: currency, entries: entries, amount: amount}) AS invoices
RETURN m.account_id AS account_id, m.name AS name, m.group_id AS group_id, parent_id,
       parent_type, m.depth AS depth, m.hierarchy_type AS hierarchy_type, m.country AS country,
       m.industry AS industry, revenue, invoices
ORDER BY group_id, depth, account_id
