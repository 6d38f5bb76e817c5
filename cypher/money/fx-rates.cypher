// name: fx-rates
// purpose: Every stored exchange rate (units of a currency per 1 EUR on a date), for converting amounts.
// params: -
// columns: currency, date, rate
// Loaded by `kamgraph ingest fx`; kamgraph/money.py converts with them (docs/queries.md,
// "Currencies").
MATCH (r:FxRate)
RETURN r.currency AS currency, r.date AS date, r.rate AS rate
ORDER BY currency, date
