// name: upsert-hierarchy-company
// purpose: Create a company a hierarchy source (GLEIF, subsidiary list) names, or add that source's facts to the stored company it was matched to; unchanged rows are left alone.
// params: rows, source, run_id, now
// columns: changed
// rows: [{key, hash, props, lei}]. The resolver leaves identity properties (name, name_key,
// country, ...) out of props for companies another source owns, so the CRM's values stay. The
// LEI is added where the company has none, on every run (a CRM export may have blanked it).
// Each source keeps its own content hash in source_hashes ("gleif:<hash>"), so sources that
// describe the same company do not undo each other's "unchanged" state.
UNWIND $rows AS row
MERGE (n:Company {account_id: row.key})
ON CREATE SET n.first_run_id = $run_id, n.created_at = $now, n.source = $source, n.active = true
SET n.lei = coalesce(n.lei, row.lei)
WITH n, row
WHERE NOT ($source + ':' + row.hash) IN coalesce(n.source_hashes, [])
   OR (n.source = $source AND n.active = false)
SET n += row.props,
    n.source_hashes = [h IN coalesce(n.source_hashes, []) WHERE NOT h STARTS WITH $source + ':']
        + [$source + ':' + row.hash],
    n.hierarchy_run_id = $run_id, n.hierarchy_updated_at = $now
RETURN count(n) AS changed
