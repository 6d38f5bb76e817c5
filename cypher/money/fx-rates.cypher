// name: fx-rates
// purpose: Stored exchange rates (units of a currency per 1 EUR on a date) of some currencies between two dates, both included, for converting amounts.
// params: currencies, from, to
// columns: currency, date, rate
// Loaded by `kamgraph ingest fx`; kamgraph/money.py converts with them (docs/queries.md,
// "Currencies"). Every parameter is required: an optional filter (`$x IS NULL OR ...`) makes
// the embedded engine scan a full rate history (200,000 rates) instead of seeking its index.
MATCH (r:FxRate)
WHERE r.currency IN $currencies AND r.date >= $from AND r.date <= $to
RETURN r.currency AS currency, r.date AS date, r.rate AS rate
ORDER BY currency, date
