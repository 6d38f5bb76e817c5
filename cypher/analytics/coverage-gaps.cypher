// name: coverage-gaps
// purpose: Holes in the political map: open deals with no decision maker known, single-threaded or facing a hostile decision maker, and HQ procurement nobody covers.
// params: group_id=null, as_of=@today
// fragments: employed-on
// columns: group_id, group_name, deal_id, account_id, gap, detail, contacts
// One row per gap. Deal rows (deal_id set) look at the deals open on as_of (created on or
// before it and not closed by then) and their ROLE_IN contacts:
//   missing_decisive_role   no contact holds Economic Buyer, Decision Maker or Economic
//                           Decision Maker (model.DECISIVE_ROLES); contacts = who we do know;
//   single_threaded         exactly one contact on the deal; contacts = that contact;
//   hostile_decision_maker  a decisive role is held by a Non-Supporter or Enemy;
//                           contacts = those people.
// Group rows (deal_id null) come from HQ procurement policies: hq_procurement_uncovered when a
// company of the group issued a Policy (issued_on <= as_of) and we have no contact employed
// there on as_of; account_id is that HQ, contacts is empty.
MATCH (g:Company)
WHERE g.group_id = g.account_id AND ($group_id IS NULL OR g.account_id = $group_id)
MATCH (m:Company)-[:HAS_DEAL]->(d:Deal)
WHERE m.group_id = g.account_id AND m.active = true AND d.active = true
  AND d.created <= $as_of AND (d.status = 'open' OR d.closed > $as_of)
OPTIONAL MATCH (c:Contact)-[ro:ROLE_IN]->(d)
WHERE c.active = true
WITH g, m, d, c, ro
ORDER BY c.contact_id, ro.role
WITH g, m, d, collect(DISTINCT c.contact_id) AS known,
     collect({contact_id: c.contact_id, name: c.name, role: ro.role, attitude: c.attitude}) AS roles
WITH g, m, d, known,
     [r IN roles WHERE r.role IN ['Decision Maker', 'Economic Buyer', 'Economic Decision Maker']]
       AS decisive
WITH g, m, d, known, decisive,
     [r IN decisive WHERE r.attitude IN ['Non-Supporter', 'Enemy']] AS hostile
UNWIND [
  {gap: 'missing_decisive_role', found: size(decisive) = 0, contacts: known,
   detail: CASE size(known)
     WHEN 0 THEN 'no contact at all on the deal; find the Economic Buyer or Decision Maker'
     ELSE 'no Economic Buyer, Decision Maker or Economic Decision Maker among the '
          + toString(size(known)) + ' contact(s) on the deal' END},
  {gap: 'single_threaded', found: size(known) = 1, contacts: known,
   detail: 'only one contact on the deal; losing them loses the deal'},
  {gap: 'hostile_decision_maker', found: size(hostile) > 0,
   contacts: [h IN hostile | h.contact_id],
   detail: reduce(s = '', h IN hostile | s + CASE WHEN s = '' THEN '' ELSE '; ' END
     + h.name + ' is ' + h.role + ' and ' + h.attitude)}
] AS x
WITH g, m, d, x
WHERE x.found
RETURN g.account_id AS group_id, g.name AS group_name, d.deal_id AS deal_id,
       m.account_id AS account_id, x.gap AS gap, coalesce(d.name, d.deal_id) + ': ' + x.detail
         AS detail, x.contacts AS contacts
ORDER BY group_id, account_id, deal_id, gap
UNION ALL
MATCH (g:Company)
WHERE g.group_id = g.account_id AND ($group_id IS NULL OR g.account_id = $group_id)
MATCH (p:Policy)-[:ISSUED_BY]->(hq:Company)
WHERE hq.group_id = g.account_id AND hq.active = true AND coalesce(p.issued_on, '0000') <= $as_of
OPTIONAL MATCH (c:Contact)-[w:WORKS_AT]->(hq)
WHERE @employed-on(c, w, $as_of)
WITH g, hq, p, count(c) AS known
WHERE known = 0
WITH g, hq, p
ORDER BY p.product_family, p.policy_id
WITH g, hq, collect(p.product_family + ' (' + p.policy_id + ')') AS policies
RETURN g.account_id AS group_id, g.name AS group_name, null AS deal_id,
       hq.account_id AS account_id, 'hq_procurement_uncovered' AS gap,
       hq.name + ' issued procurement policies for '
         + reduce(s = '', x IN policies | s + CASE WHEN s = '' THEN '' ELSE ', ' END + x)
         + ' and we know nobody there' AS detail,
       [] AS contacts
ORDER BY group_id, account_id
