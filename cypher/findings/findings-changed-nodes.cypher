// name: findings-changed-nodes
// purpose: The nodes a run created, changed or made inactive, with their label and key.
// params: run_id, day
// columns: labels, key
// Upserts stamp run_id (hierarchy sources hierarchy_run_id) only when the content changed;
// deactivation stamps inactive_since with the run's day.
MATCH (n)
WHERE n.run_id = $run_id OR n.hierarchy_run_id = $run_id OR n.inactive_since = $day
RETURN labels(n) AS labels,
       coalesce(n.account_id, n.contact_id, n.deal_id, n.product_id, n.competitor_id,
                n.policy_id) AS key
