// name: deal-exists
// purpose: The deal with this id, if one is loaded (a query parameter naming a deal is checked).
// params: deal_id
// columns: deal_id
MATCH (d:Deal {deal_id: $deal_id})
RETURN d.deal_id AS deal_id
LIMIT 1
