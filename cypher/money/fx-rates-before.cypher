// name: fx-rates-before
// purpose: The latest stored exchange rate of each given currency before a date.
// params: currencies, before
// columns: currency, date, rate
// With fx-rates from that date on, kamgraph/money.py has the rate "on or before" every day it
// converts without reading a currency's whole history.
MATCH (r:FxRate)
WHERE r.currency IN $currencies AND r.date < $before
WITH r.currency AS currency, max(r.date) AS date
MATCH (x:FxRate {currency: currency, date: date})
RETURN currency, date, x.rate AS rate
ORDER BY currency
