// name: findings-changed-nodes
// purpose: The nodes the given runs created, changed or made inactive, with their label and key.
// params: run_ids, days
// columns: labels, key
// Upserts stamp run_id (hierarchy sources hierarchy_run_id) only when the content changed;
// deactivation stamps inactive_since with the run's day (days: the runs' days).
MATCH (n)
WHERE n.run_id IN $run_ids OR n.hierarchy_run_id IN $run_ids OR n.inactive_since IN $days
RETURN labels(n) AS labels,
       coalesce(n.account_id, n.contact_id, n.deal_id, n.product_id, n.competitor_id,
                n.policy_id) AS key
