// name: relationship-strength
// purpose: How strong each (our rep, their contact) relationship is: a time-decayed score from touchpoints, deal roles and attitude, with the touchpoints behind it, and "gone dark" alerts for decision makers on open deals.
// params: group_id=null, half_life_days=90, dark_below=1.0, as_of=@today
// fragments: employed-on, in-force
// columns: rep_id, rep_name, contact_id, contact_name, account_id, account_name, score, touch_score, last_touch, touchpoints, roles, attitude, gone_dark, dark_deals
// python: half_life_days, dark_below
// Per contact employed at an active member on as_of (one employer, the lowest id): the
// touchpoints (Task/Event) any rep logged with them up to as_of, and their roles on deals with
// the rep who owned each deal on as_of. kamgraph/queries/finish/relationship_strength.py
// scores each (rep, contact) pair and raises gone_dark when a decision maker's touch score with
// the owner of an open deal is below dark_below.
MATCH (c:Contact)-[w:WORKS_AT]->(m:Company)
WHERE @employed-on(c, w, $as_of) AND m.active = true
  AND ($group_id IS NULL OR m.group_id = $group_id)
WITH c, m
ORDER BY m.account_id
WITH c, collect(m.account_id)[0] AS account_id, collect(m.name)[0] AS account_name
OPTIONAL MATCH (r:Rep)-[:LOGGED]->(t:Touchpoint)-[:`WITH`]->(c)
WHERE t.date <= $as_of
WITH c, account_id, account_name, r, t
ORDER BY t.date, t.touchpoint_id
WITH c, account_id, account_name,
     collect({rep_id: r.rep_id, rep_name: r.name, touchpoint_id: t.touchpoint_id,
              kind: t.kind, date: t.date, activity_type: t.activity_type,
              subject: t.subject}) AS touches
OPTIONAL MATCH (c)-[ro:ROLE_IN]->(d:Deal)<-[o:OWNS]-(owner:Rep)
WHERE d.active = true AND d.created <= $as_of AND @in-force(o, $as_of)
WITH c, account_id, account_name, touches, owner, ro, d
ORDER BY d.deal_id
WITH c, account_id, account_name, touches,
     collect({rep_id: owner.rep_id, rep_name: owner.name, deal_id: d.deal_id,
              deal_name: d.name, role: ro.role, closed: d.closed,
              status: CASE WHEN d.status <> 'open' AND d.closed > $as_of THEN 'open'
                           ELSE d.status END}) AS roles
RETURN c.contact_id AS contact_id, c.name AS contact_name, c.attitude AS attitude,
       account_id, account_name, touches, roles
ORDER BY contact_id
