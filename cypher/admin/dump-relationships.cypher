// name: dump-relationships
// purpose: Every relationship with its type, its ends' labels and properties, and its own properties.
// params: -
// columns: type, start_labels, start_props, end_labels, end_props, props
MATCH (a)-[r]->(b)
RETURN type(r) AS type, labels(a) AS start_labels, properties(a) AS start_props,
       labels(b) AS end_labels, properties(b) AS end_props, properties(r) AS props
