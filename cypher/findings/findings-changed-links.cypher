// name: findings-changed-links
// purpose: The ends of the links the given runs created or ended, or whose role they changed.
// params: run_ids, days
// columns: labels, key, other_labels, other_key
// New links carry first_run_id; the end rules set until to the run's day; a changed role
// sets role_since to it (record-role-changes).
MATCH (a)-[r]->(b)
WHERE r.first_run_id IN $run_ids OR r.until IN $days OR r.role_since IN $days
RETURN labels(a) AS labels,
       coalesce(a.account_id, a.contact_id, a.deal_id, a.product_id, a.competitor_id,
                a.policy_id) AS key,
       labels(b) AS other_labels,
       coalesce(b.account_id, b.contact_id, b.deal_id, b.product_id, b.competitor_id,
                b.policy_id) AS other_key
