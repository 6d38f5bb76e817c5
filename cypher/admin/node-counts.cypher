// name: node-counts
// purpose: Number of nodes per label.
// params: -
// columns: label, count
MATCH (n)
UNWIND labels(n) AS label
RETURN label, count(*) AS count
ORDER BY label
