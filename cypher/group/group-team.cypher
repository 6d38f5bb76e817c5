// name: group-team
// purpose: Account team memberships at the active members of one group (or every group) on a date, with the team and rep tiers.
// params: group_id=null, as_of=@today
// fragments: in-force
// columns: rep_id, account_id, group_id, team_role, team_tier, rep_tier
// team_tier is ON_TEAM.tier, else the rep's own tier.
MATCH (m:Company)
WHERE m.group_id IS NOT NULL AND ($group_id IS NULL OR m.group_id = $group_id)
  AND m.active = true
MATCH (r:Rep)-[t:ON_TEAM]->(m)
WHERE @in-force(t, $as_of)
RETURN r.rep_id AS rep_id, m.account_id AS account_id, m.group_id AS group_id,
       t.team_role AS team_role, coalesce(t.tier, r.tier) AS team_tier, r.tier AS rep_tier
ORDER BY group_id, account_id, rep_id
