// name: hierarchy-issues
// purpose: Family-tree problems to fix in the CRM, most severe first: ParentId cycles, conflicting parents, subsidiaries and branches without a parent, companies reference data probably means (name-match proposals), probable duplicate accounts.
// params: group_id=null
// columns: issue, group_id, account_id, name, other_account_id, other_name, detail, severity, confidence, evidence, source, other_source
// Issues:
//   parent_cycle         the company's parent chain loops (Company.hierarchy_issue set at
//                        ingest); other_account_id = its active parent;
//   missing_parent       hierarchy_type Subsidiary or Branch but no active parent link
//                        (ParentIds pointing at unknown accounts are rejected at ingest, so
//                        they end up here); other_account_id = a former parent, if any;
//   conflicting_parents  active parent links naming more than one parent (sources may each keep
//                        their own link), or flagged at ingest; one row per link, with the
//                        source that states it;
//   name_match_proposal  a GLEIF / Exhibit 21 / D&B company that matched a CRM company by name
//                        only where a merge would have made a CRM group top a member of the
//                        reference family (or a second company claimed the same account):
//                        account_id = the CRM company, other_account_id = the reference
//                        company; evidence = the resolver's reason, confidence = its rapidfuzz
//                        score / 100. Set the id (LEI__c, CIK__c, DUNS) on the account if it is
//                        that company;
//   probable_duplicate   two companies with the same normalized name (name_key) AND evidence
//                        beyond it: a shared LEI, DUNS, CIK or registration code, or the same
//                        country; never when an id conflicts. One row per pair (account_id <
//                        other_account_id), never merged. Two companies one reference source
//                        lists side by side (same source, no shared id) are two companies and
//                        are left out by the Python step.
// severity: high (cycles, conflicting parents, duplicates sharing an id), medium (missing
// parents, proposals, same-country duplicates with the same legal name), low (other same-country
// duplicates); confidence 0-1; evidence says what the row rests on; source / other_source the
// sources that created the two companies. The Python step (queries/finish/hierarchy_issues.py)
// ranks rows by severity, then confidence, keeping the order below within a rank.
// With group_id, issues of companies in that group (either side of a duplicate or proposal).
MATCH (g:Company)
WHERE g.group_id = g.account_id AND ($group_id IS NULL OR g.account_id = $group_id)
MATCH (c:Company)
WHERE c.group_id = g.account_id AND c.hierarchy_issue = 'parent cycle'
MATCH (c)-[r:SUBSIDIARY_OF|BRANCH_OF]->(p:Company)
WHERE r.active = true
WITH c, p, r
ORDER BY r.source
WITH c, p, collect(DISTINCT type(r) + ' from ' + coalesce(r.source, 'unknown source')) AS links
RETURN 'parent_cycle' AS issue, c.group_id AS group_id, c.account_id AS account_id,
       c.name AS name, p.account_id AS other_account_id, p.name AS other_name,
       'parent chain loops back here via ' + p.name + ' ('
         + reduce(s = '', x IN links | s + CASE WHEN s = '' THEN '' ELSE ', ' END + x)
         + '); fix the ParentId in the CRM' AS detail,
       'high' AS severity, 1.0 AS confidence, 'parent chain loops' AS evidence,
       c.source AS source, p.source AS other_source
ORDER BY group_id, account_id, other_account_id
UNION ALL
MATCH (g:Company)
WHERE g.group_id = g.account_id AND ($group_id IS NULL OR g.account_id = $group_id)
MATCH (c:Company)
WHERE c.group_id = g.account_id AND c.hierarchy_type IN ['Subsidiary', 'Branch']
  AND c.active = true
OPTIONAL MATCH (c)-[r:SUBSIDIARY_OF|BRANCH_OF]->(p:Company)
WITH c, r, p
ORDER BY coalesce(r.until, '') DESC, p.account_id
WITH c, collect(CASE WHEN r.active = true THEN p.account_id END) AS current,
     collect(CASE WHEN r.active = false THEN {account_id: p.account_id, name: p.name,
                                              until: r.until, source: p.source} END) AS former
WHERE size(current) = 0
RETURN 'missing_parent' AS issue, c.group_id AS group_id, c.account_id AS account_id,
       c.name AS name, former[0].account_id AS other_account_id, former[0].name AS other_name,
       c.hierarchy_type + ' without a parent'
         + CASE WHEN size(former) = 0 THEN '; set its ParentId in the CRM'
                ELSE '; its link to ' + former[0].name + ' ended '
                     + coalesce(former[0].until, '(no date)') END AS detail,
       'medium' AS severity, 1.0 AS confidence,
       'hierarchy_type ' + c.hierarchy_type + ', no active parent link' AS evidence,
       c.source AS source, former[0].source AS other_source
ORDER BY group_id, account_id
UNION ALL
MATCH (g:Company)
WHERE g.group_id = g.account_id AND ($group_id IS NULL OR g.account_id = $group_id)
MATCH (c:Company)
WHERE c.group_id = g.account_id
MATCH (c)-[r:SUBSIDIARY_OF|BRANCH_OF]->(p:Company)
WHERE r.active = true
WITH c, p, r
ORDER BY p.account_id, r.source
WITH c, collect({account_id: p.account_id, name: p.name, rel: type(r), source: r.source,
                 created_by: p.source}) AS links,
     collect(DISTINCT p.account_id) AS parents
WHERE size(parents) > 1 OR c.hierarchy_issue = 'conflicting parents'
UNWIND links AS x
RETURN 'conflicting_parents' AS issue, c.group_id AS group_id, c.account_id AS account_id,
       c.name AS name, x.account_id AS other_account_id, x.name AS other_name,
       toString(size(parents)) + ' different active parents; this one is ' + x.rel + ' from '
         + coalesce(x.source, 'unknown source')
         + '; the family tree follows group ' + c.group_id AS detail,
       'high' AS severity, 1.0 AS confidence,
       x.rel + ' from ' + coalesce(x.source, 'unknown source') AS evidence,
       c.source AS source, x.created_by AS other_source
ORDER BY group_id, account_id, other_account_id, detail
UNION ALL
MATCH (r:Company)
WHERE r.match_proposal IS NOT NULL AND r.active = true
MATCH (c:Company)
WHERE c.account_id = r.match_proposal AND c.active = true
  AND ($group_id IS NULL OR c.group_id = $group_id OR r.group_id = $group_id)
RETURN 'name_match_proposal' AS issue, c.group_id AS group_id, c.account_id AS account_id,
       c.name AS name, r.account_id AS other_account_id, r.name AS other_name,
       'probably the same company as ' + r.name + ' (' + coalesce(r.source, 'unknown source')
         + '), not merged: ' + coalesce(r.match_reason, 'a name match')
         + '. If it is, set its LEI, CIK or DUNS on the account so the next load attaches '
         + 'the reference family; otherwise nothing to do' AS detail,
       'medium' AS severity, round(coalesce(r.match_score, 0.0) * 10) / 1000.0 AS confidence,
       coalesce(r.match_reason, 'same name key') AS evidence,
       c.source AS source, r.source AS other_source
ORDER BY group_id, account_id, other_account_id
UNION ALL
MATCH (g:Company)
WHERE g.group_id = g.account_id AND ($group_id IS NULL OR g.account_id = $group_id)
MATCH (x:Company)
WHERE x.group_id = g.account_id AND x.active = true AND x.name_key IS NOT NULL
  AND x.name_key <> ''
WITH DISTINCT x.name_key AS name_key
MATCH (n:Company)
WHERE n.name_key = name_key AND n.active = true
WITH name_key, collect(n) AS same_name
WHERE size(same_name) > 1
UNWIND same_name AS a
UNWIND same_name AS b
WITH a, b
WHERE a.account_id < b.account_id
  AND ($group_id IS NULL OR a.group_id = $group_id OR b.group_id = $group_id)
WITH a, b,
     [x IN [['LEI', a.lei, b.lei], ['DUNS', a.duns, b.duns], ['CIK', a.cik, b.cik],
            ['registration code', a.registration_code, b.registration_code]]
      WHERE x[1] IS NOT NULL AND x[2] IS NOT NULL] AS both_known,
     coalesce(a.country_code, a.country) AS a_country,
     coalesce(b.country_code, b.country) AS b_country
WITH a, b, a_country, b_country, [x IN both_known WHERE x[1] = x[2] | x[0]] AS same,
     [x IN both_known WHERE x[1] <> x[2] | x[0]] AS conflict
WITH a, b, same, conflict,
     a_country IS NOT NULL AND a_country = b_country AS same_country, a_country AS country,
     coalesce(a.legal_name, a.name) = coalesce(b.legal_name, b.name) AS same_name
WHERE size(conflict) = 0 AND (size(same) > 0 OR same_country)
  AND coalesce(a.match_proposal, '') <> b.account_id
  AND coalesce(b.match_proposal, '') <> a.account_id
WITH a, b, same, same_country, country, same_name,
     reduce(s = '', x IN same | s + CASE WHEN s = '' THEN '' ELSE ', ' END + x) AS ids
RETURN 'probable_duplicate' AS issue, a.group_id AS group_id, a.account_id AS account_id,
       a.name AS name, b.account_id AS other_account_id, b.name AS other_name,
       'same normalized name "' + a.name_key + '"'
         + CASE WHEN size(same) > 0 THEN '; same ' + ids + ': almost certainly one company'
                ELSE '; same country ' + country + ': maybe one company, check before merging'
           END
         + CASE WHEN a.group_id = b.group_id THEN '' ELSE ' (in different groups)' END AS detail,
       CASE WHEN size(same) > 0 THEN 'high' WHEN same_name THEN 'medium' ELSE 'low' END
         AS severity,
       CASE WHEN size(same) > 0 THEN 0.95 WHEN same_name THEN 0.7 ELSE 0.5 END AS confidence,
       CASE WHEN size(same) > 0 THEN 'same ' + ids ELSE '' END
         + CASE WHEN size(same) > 0 AND same_country THEN ', ' ELSE '' END
         + CASE WHEN same_country THEN 'same country ' + country ELSE '' END
         + CASE WHEN same_name THEN ', same name' ELSE '' END AS evidence,
       a.source AS source, b.source AS other_source
ORDER BY group_id, account_id, other_account_id
