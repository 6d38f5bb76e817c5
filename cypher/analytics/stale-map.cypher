// name: stale-map
// purpose: How fresh the political map is: stale contacts, ended employments, members nobody is known at, and a completeness score per account and per rep (a leaderboard).
// params: group_id=null, max_age_days=180, as_of=@today
// fragments: employed-on, ended-by, in-force
// columns: kind, group_id, account_id, contact_id, rep_id, name, score, rank, detail
// Rows by kind:
//   stale_contact     employed at a member on as_of, last_verified missing or older than
//                     max_age_days before as_of, or the email bounced (IsEmailBounced, on
//                     or before as_of by EmailBouncedDate);
//   ended_employment  a WORKS_AT that ended on or before as_of (until <= as_of, or
//                     active = false without a date); detail says where they are now;
//   no_contact        a member with nobody employed there on as_of (not in families known
//                     only from reference data: reference_only);
//   account_score     per company with open deals on as_of: the mean over those deals of the
//                     share of the two key roles known - a decisive role (Economic Buyer,
//                     Decision Maker, Economic Decision Maker) and Champion - each weighted by
//                     the freshest holder's verification: 1 if verified within max_age_days,
//                     0.5 within twice that, else 0;
//   rep_score         the same over the open deals a rep owns; rank 1 is the best map
//                     (ties share a rank).
// Scores are rounded to 2 decimals; score and rank are null on the other kinds.
MATCH (g:Company)
WHERE g.group_id = g.account_id AND ($group_id IS NULL OR g.account_id = $group_id)
MATCH (m:Company)
WHERE m.group_id = g.account_id AND m.active = true
WITH m, toString(date($as_of) - duration({days: $max_age_days})) AS fresh, $as_of AS as_of
MATCH (c:Contact)-[w:WORKS_AT]->(m)
WHERE @employed-on(c, w, as_of)
  AND (c.last_verified IS NULL OR c.last_verified < fresh
       OR (c.email_bounced = true AND coalesce(c.email_bounced_on, '0000') <= as_of))
RETURN 'stale_contact' AS kind, m.group_id AS group_id, m.account_id AS account_id,
       c.contact_id AS contact_id, c.owner_id AS rep_id, c.name AS name, null AS score,
       null AS rank,
       CASE WHEN c.email_bounced = true AND coalesce(c.email_bounced_on, '0000') <= as_of
            THEN 'email bounced' + coalesce(' on ' + c.email_bounced_on, '')
            WHEN c.last_verified IS NULL THEN 'never verified'
            ELSE 'last verified ' + c.last_verified + ', before ' + fresh END AS detail
ORDER BY group_id, account_id, contact_id
UNION ALL
MATCH (g:Company)
WHERE g.group_id = g.account_id AND ($group_id IS NULL OR g.account_id = $group_id)
MATCH (m:Company)
WHERE m.group_id = g.account_id AND m.active = true
MATCH (c:Contact)-[w:WORKS_AT]->(m)
WHERE c.active = true AND @ended-by(w, $as_of)
OPTIONAL MATCH (c)-[now:WORKS_AT]->(other:Company)
WHERE other.account_id <> m.account_id AND other.active = true AND @in-force(now, $as_of)
WITH c, w, m, other
ORDER BY other.account_id
WITH c, w, m, collect(other.name) AS now_at
RETURN 'ended_employment' AS kind, m.group_id AS group_id, m.account_id AS account_id,
       c.contact_id AS contact_id, c.owner_id AS rep_id, c.name AS name, null AS score,
       null AS rank,
       'left ' + m.name + CASE WHEN w.until IS NULL THEN '' ELSE ' on ' + w.until END
         + CASE WHEN size(now_at) = 0 THEN '; current employer unknown'
                ELSE '; now at ' + now_at[0] END AS detail
ORDER BY group_id, account_id, contact_id
UNION ALL
MATCH (g:Company)
WHERE g.group_id = g.account_id AND ($group_id IS NULL OR g.account_id = $group_id)
MATCH (m:Company)
WHERE m.group_id = g.account_id AND m.active = true
  AND coalesce(m.reference_only, false) = false
OPTIONAL MATCH (c:Contact)-[w:WORKS_AT]->(m)
WHERE @employed-on(c, w, $as_of)
WITH m, count(c) AS known
WHERE known = 0
RETURN 'no_contact' AS kind, m.group_id AS group_id, m.account_id AS account_id,
       null AS contact_id, null AS rep_id, m.name AS name, null AS score, null AS rank,
       'nobody known at this company' AS detail
ORDER BY group_id, account_id
UNION ALL
MATCH (g:Company)
WHERE g.group_id = g.account_id AND ($group_id IS NULL OR g.account_id = $group_id)
MATCH (m:Company)
WHERE m.group_id = g.account_id AND m.active = true
WITH m, toString(date($as_of) - duration({days: $max_age_days})) AS fresh,
     toString(date($as_of) - duration({days: 2 * $max_age_days})) AS aging
MATCH (m)-[:HAS_DEAL]->(d:Deal)
WHERE d.active = true AND d.created <= $as_of AND (d.status = 'open' OR d.closed > $as_of)
OPTIONAL MATCH (c:Contact)-[ro:ROLE_IN]->(d)
WHERE c.active = true
WITH m, d, ro.role AS role,
     CASE WHEN c.last_verified >= fresh THEN 1.0 WHEN c.last_verified >= aging THEN 0.5
          ELSE 0.0 END AS weight
WITH m, d,
     max(CASE WHEN role IN ['Decision Maker', 'Economic Buyer', 'Economic Decision Maker']
              THEN weight ELSE 0.0 END) AS decisive,
     max(CASE WHEN role = 'Champion' THEN weight ELSE 0.0 END) AS champion
WITH m, count(d) AS deals, avg((decisive + champion) / 2) AS score,
     sum(CASE WHEN decisive > 0 THEN 1 ELSE 0 END) AS with_decisive,
     sum(CASE WHEN champion > 0 THEN 1 ELSE 0 END) AS with_champion
RETURN 'account_score' AS kind, m.group_id AS group_id, m.account_id AS account_id,
       null AS contact_id, null AS rep_id, m.name AS name, round(score * 100) / 100 AS score,
       null AS rank,
       toString(deals) + ' open deal(s); a verified decisive role on ' + toString(with_decisive)
         + ', a verified Champion on ' + toString(with_champion) AS detail
ORDER BY group_id, account_id
UNION ALL
MATCH (g:Company)
WHERE g.group_id = g.account_id AND ($group_id IS NULL OR g.account_id = $group_id)
MATCH (m:Company)
WHERE m.group_id = g.account_id AND m.active = true
WITH m, toString(date($as_of) - duration({days: $max_age_days})) AS fresh,
     toString(date($as_of) - duration({days: 2 * $max_age_days})) AS aging
MATCH (r:Rep)-[own:OWNS]->(d:Deal)<-[:HAS_DEAL]-(m)
WHERE @in-force(own, $as_of) AND d.active = true
  AND d.created <= $as_of AND (d.status = 'open' OR d.closed > $as_of)
OPTIONAL MATCH (c:Contact)-[ro:ROLE_IN]->(d)
WHERE c.active = true
WITH r, d, ro.role AS role,
     CASE WHEN c.last_verified >= fresh THEN 1.0 WHEN c.last_verified >= aging THEN 0.5
          ELSE 0.0 END AS weight
WITH r, d,
     max(CASE WHEN role IN ['Decision Maker', 'Economic Buyer', 'Economic Decision Maker']
              THEN weight ELSE 0.0 END) AS decisive,
     max(CASE WHEN role = 'Champion' THEN weight ELSE 0.0 END) AS champion
WITH r, count(d) AS deals, round(avg((decisive + champion) / 2) * 100) / 100 AS score,
     sum(CASE WHEN decisive > 0 THEN 1 ELSE 0 END) AS with_decisive,
     sum(CASE WHEN champion > 0 THEN 1 ELSE 0 END) AS with_champion
ORDER BY score DESC, r.rep_id
WITH collect({rep_id: r.rep_id, name: r.name, score: score, deals: deals,
              with_decisive: with_decisive, with_champion: with_champion}) AS board
UNWIND board AS x
RETURN 'rep_score' AS kind, $group_id AS group_id, null AS account_id, null AS contact_id,
       x.rep_id AS rep_id, x.name AS name, x.score AS score,
       size([y IN board WHERE y.score > x.score]) + 1 AS rank,
       toString(x.deals) + ' open deal(s); a verified decisive role on '
         + toString(x.with_decisive) + ', a verified Champion on ' + toString(x.with_champion)
         AS detail
ORDER BY rank, rep_id
