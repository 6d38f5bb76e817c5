// name: dump-nodes
// purpose: Every node with its labels and properties, for canonical dumps and backups.
// params: -
// columns: labels, props
MATCH (n)
RETURN labels(n) AS labels, properties(n) AS props
