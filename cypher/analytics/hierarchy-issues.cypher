// name: hierarchy-issues
// purpose: Family-tree problems to fix in the CRM: ParentId cycles, subsidiaries and branches without a parent, conflicting parents, probable duplicate accounts.
// params: group_id=null
// columns: issue, group_id, account_id, name, other_account_id, other_name, detail
// Issues:
//   parent_cycle         the company's parent chain loops (Company.hierarchy_issue set at
//                        ingest); other_account_id = its active parent;
//   missing_parent       hierarchy_type Subsidiary or Branch but no active parent link
//                        (ParentIds pointing at unknown accounts are rejected at ingest, so
//                        they end up here); other_account_id = a former parent, if any;
//   conflicting_parents  active parent links naming more than one parent (sources may each keep
//                        their own link), or flagged at ingest; one row per link, with the
//                        source that states it;
//   probable_duplicate   two companies with the same normalized name (name_key); one row per
//                        pair (account_id < other_account_id). They are never merged; the
//                        detail says whether their LEI, DUNS or registration code agree or
//                        conflict.
// With group_id, issues of companies in that group (either side of a duplicate).
MATCH (c:Company)-[r:SUBSIDIARY_OF|BRANCH_OF]->(p:Company)
WHERE c.hierarchy_issue = 'parent cycle' AND r.active = true
  AND ($group_id IS NULL OR c.group_id = $group_id)
WITH c, p, r
ORDER BY r.source
WITH c, p, collect(DISTINCT type(r) + ' from ' + coalesce(r.source, 'unknown source')) AS links
RETURN 'parent_cycle' AS issue, c.group_id AS group_id, c.account_id AS account_id,
       c.name AS name, p.account_id AS other_account_id, p.name AS other_name,
       'parent chain loops back here via ' + p.name + ' ('
         + reduce(s = '', x IN links | s + CASE WHEN s = '' THEN '' ELSE ', ' END + x)
         + '); fix the ParentId in the CRM' AS detail
ORDER BY group_id, account_id, other_account_id
UNION ALL
MATCH (c:Company)
WHERE c.hierarchy_type IN ['Subsidiary', 'Branch'] AND c.active = true
  AND ($group_id IS NULL OR c.group_id = $group_id)
OPTIONAL MATCH (c)-[r:SUBSIDIARY_OF|BRANCH_OF]->(p:Company)
WITH c, r, p
ORDER BY coalesce(r.until, '') DESC, p.account_id
WITH c, collect(CASE WHEN r.active = true THEN p.account_id END) AS current,
     collect(CASE WHEN r.active = false THEN {account_id: p.account_id, name: p.name,
                                              until: r.until} END) AS former
WHERE size(current) = 0
RETURN 'missing_parent' AS issue, c.group_id AS group_id, c.account_id AS account_id,
       c.name AS name, former[0].account_id AS other_account_id, former[0].name AS other_name,
       c.hierarchy_type + ' without a parent'
         + CASE WHEN size(former) = 0 THEN '; set its ParentId in the CRM'
                ELSE '; its link to ' + former[0].name + ' ended '
                     + coalesce(former[0].until, '(no date)') END AS detail
ORDER BY group_id, account_id
UNION ALL
MATCH (c:Company)-[r:SUBSIDIARY_OF|BRANCH_OF]->(p:Company)
WHERE r.active = true AND ($group_id IS NULL OR c.group_id = $group_id)
WITH c, p, r
ORDER BY p.account_id, r.source
WITH c, collect({account_id: p.account_id, name: p.name, rel: type(r), source: r.source}) AS links,
     collect(DISTINCT p.account_id) AS parents
WHERE size(parents) > 1 OR c.hierarchy_issue = 'conflicting parents'
UNWIND links AS x
RETURN 'conflicting_parents' AS issue, c.group_id AS group_id, c.account_id AS account_id,
       c.name AS name, x.account_id AS other_account_id, x.name AS other_name,
       toString(size(parents)) + ' different active parents; this one is ' + x.rel + ' from '
         + coalesce(x.source, 'unknown source')
         + '; the family tree follows group ' + c.group_id AS detail
ORDER BY group_id, account_id, other_account_id, detail
UNION ALL
MATCH (n:Company)
WHERE n.active = true AND n.name_key IS NOT NULL AND n.name_key <> ''
WITH n.name_key AS name_key, collect(n) AS same_name
WHERE size(same_name) > 1
UNWIND same_name AS a
UNWIND same_name AS b
WITH a, b
WHERE a.account_id < b.account_id
  AND ($group_id IS NULL OR a.group_id = $group_id OR b.group_id = $group_id)
WITH a, b,
     [x IN [['LEI', a.lei, b.lei], ['DUNS', a.duns, b.duns],
            ['registration code', a.registration_code, b.registration_code]]
      WHERE x[1] IS NOT NULL AND x[2] IS NOT NULL] AS both_known
WITH a, b, [x IN both_known WHERE x[1] = x[2] | x[0]] AS same,
     [x IN both_known WHERE x[1] <> x[2] | x[0]] AS conflict
RETURN 'probable_duplicate' AS issue, a.group_id AS group_id, a.account_id AS account_id,
       a.name AS name, b.account_id AS other_account_id, b.name AS other_name,
       'same normalized name "' + a.name_key + '"'
         + CASE WHEN size(conflict) > 0
                THEN '; ' + reduce(s = '', x IN conflict | s + CASE WHEN s = '' THEN '' ELSE ', ' END + x)
                     + ' conflict: probably different companies'
                WHEN size(same) > 0
                THEN '; same ' + reduce(s = '', x IN same | s + CASE WHEN s = '' THEN '' ELSE ', ' END + x)
                     + ': almost certainly one company'
                ELSE '; no LEI, DUNS or registration code to compare' END
         + CASE WHEN a.group_id = b.group_id THEN '' ELSE ' (in different groups)' END AS detail
ORDER BY group_id, account_id, other_account_id
