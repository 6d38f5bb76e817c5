// name: handover-risk
// purpose: Groups whose knowledge sits with one rep: the share of the group's deals, contacts and notes a single rep owns or wrote.
// params: group_id=null, min_share=0.8, as_of=@today
// fragments: employed-on, in-force
// columns: group_id, group_name, rep_id, rep_name, deals, contacts, notes, share, risk
// What a group's knowledge is made of: its active deals (owner = the Rep who OWNS it), the
// contacts employed at its members on as_of (owner = Contact.owner_id) and the notes about its
// members, their current contacts or their deals (owner = the Rep who WROTE it). Items
// without an owner count in the total and for nobody. share = items held by the rep / all
// items, rounded to 2 decimals; risk is 'single-rep' when the rep holds everything,
// 'concentrated' when share >= min_share, else 'spread'. Without group_id only reps with
// share >= min_share are listed (the portfolio scan); with group_id every rep holding part of
// that group is listed, so a handover shows who knows what.
MATCH (g:Company)
WHERE g.group_id = g.account_id AND ($group_id IS NULL OR g.account_id = $group_id)
OPTIONAL MATCH (m:Company)-[:HAS_DEAL]->(d:Deal)
WHERE m.group_id = g.account_id AND d.active = true
CALL (d) {
  OPTIONAL MATCH (dr:Rep)-[own:OWNS]->(d)
  WHERE @in-force(own, $as_of)
  RETURN dr
}
WITH g, collect(DISTINCT {kind: 'deal', key: d.deal_id, rep: dr.rep_id}) AS deals,
     size(collect(DISTINCT d.deal_id)) AS deal_count
OPTIONAL MATCH (c:Contact)-[w:WORKS_AT]->(cm:Company)
WHERE cm.group_id = g.account_id AND cm.active = true AND @employed-on(c, w, $as_of)
WITH g, deals, deal_count,
     collect(DISTINCT {kind: 'contact', key: c.contact_id, rep: c.owner_id}) AS contacts,
     size(collect(DISTINCT c.contact_id)) AS contact_count
OPTIONAL MATCH (n1:Note)-[:ABOUT]->(nm:Company)
WHERE nm.group_id = g.account_id
CALL (n1) {
  OPTIONAL MATCH (a1:Rep)-[:WROTE]->(n1)
  RETURN a1
}
WITH g, deals, deal_count, contacts, contact_count,
     collect(DISTINCT {kind: 'note', key: n1.note_id, rep: a1.rep_id}) AS n1s,
     collect(DISTINCT n1.note_id) AS k1
OPTIONAL MATCH (n2:Note)-[:ABOUT]->(c2:Contact)-[w2:WORKS_AT]->(nc:Company)
WHERE nc.group_id = g.account_id AND nc.active = true AND @employed-on(c2, w2, $as_of)
CALL (n2) {
  OPTIONAL MATCH (a2:Rep)-[:WROTE]->(n2)
  RETURN a2
}
WITH g, deals, deal_count, contacts, contact_count, n1s, k1,
     collect(DISTINCT {kind: 'note', key: n2.note_id, rep: a2.rep_id}) AS n2s,
     collect(DISTINCT n2.note_id) AS k2
OPTIONAL MATCH (n3:Note)-[:ABOUT]->(nd:Deal)<-[:HAS_DEAL]-(dm:Company)
WHERE dm.group_id = g.account_id AND nd.active = true
CALL (n3) {
  OPTIONAL MATCH (a3:Rep)-[:WROTE]->(n3)
  RETURN a3
}
WITH g, deals, deal_count, contacts, contact_count, n1s, k1, n2s, k2,
     collect(DISTINCT {kind: 'note', key: n3.note_id, rep: a3.rep_id}) AS n3s,
     collect(DISTINCT n3.note_id) AS k3
// A note is about one thing, so k1, k2 and k3 do not overlap. An item with two owners (a
// deal still linked to its former owner) counts once in the total and for both reps.
WITH g, [x IN deals + contacts + n1s + n2s + n3s WHERE x.key IS NOT NULL] AS items,
     deal_count + contact_count + size(k1) + size(k2) + size(k3) AS total
WHERE total > 0
UNWIND items AS item
WITH g, total, item
WHERE item.rep IS NOT NULL
WITH g, total, item.rep AS rep_id,
     sum(CASE WHEN item.kind = 'deal' THEN 1 ELSE 0 END) AS deals,
     sum(CASE WHEN item.kind = 'contact' THEN 1 ELSE 0 END) AS contacts,
     sum(CASE WHEN item.kind = 'note' THEN 1 ELSE 0 END) AS notes
WITH g, total, rep_id, deals, contacts, notes, deals + contacts + notes AS held
WHERE $group_id IS NOT NULL OR toFloat(held) / total >= $min_share
OPTIONAL MATCH (r:Rep {rep_id: rep_id})
RETURN g.account_id AS group_id, g.name AS group_name, rep_id, r.name AS rep_name,
       deals, contacts, notes, round(100.0 * held / total) / 100 AS share,
       CASE WHEN held = total THEN 'single-rep'
            WHEN toFloat(held) / total >= $min_share THEN 'concentrated'
            ELSE 'spread' END AS risk
ORDER BY share DESC, group_id, rep_id
