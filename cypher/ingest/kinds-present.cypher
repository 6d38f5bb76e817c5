// name: kinds-present
// purpose: Whether the store holds any value the history rules keep, or any link a changed-row end rule ends, before a run.
// params:
// columns: Contact, ROLE_IN, HAS_DEAL, OWNS, WORKS_AT, SUBSIDIARY_OF, BRANCH_OF, REPORTS_TO, PendingLink
// One column per HistoryRule.on and per rel_type of an end rule triggered by a changed row
// (kamgraph/schema/end_rules.py). A kind the store holds none of has nothing to keep or end:
// the run leaves out its statement (it would match nothing). Each looks for one, not all.
// End rules end pending links too: while any link is pending, none is left out.
OPTIONAL MATCH (c:Contact)
WITH c LIMIT 1
OPTIONAL MATCH ()-[r1:ROLE_IN]->()
WITH c, r1 LIMIT 1
OPTIONAL MATCH ()-[r2:HAS_DEAL]->()
WITH c, r1, r2 LIMIT 1
OPTIONAL MATCH ()-[r3:OWNS]->()
WITH c, r1, r2, r3 LIMIT 1
OPTIONAL MATCH ()-[r4:WORKS_AT]->()
WITH c, r1, r2, r3, r4 LIMIT 1
OPTIONAL MATCH ()-[r5:SUBSIDIARY_OF]->()
WITH c, r1, r2, r3, r4, r5 LIMIT 1
OPTIONAL MATCH ()-[r6:BRANCH_OF]->()
WITH c, r1, r2, r3, r4, r5, r6 LIMIT 1
OPTIONAL MATCH ()-[r7:REPORTS_TO]->()
WITH c, r1, r2, r3, r4, r5, r6, r7 LIMIT 1
OPTIONAL MATCH (p:PendingLink)
WHERE p.state IS NULL
WITH c, r1, r2, r3, r4, r5, r6, r7, p LIMIT 1
RETURN c IS NOT NULL AS Contact, r1 IS NOT NULL AS ROLE_IN, r2 IS NOT NULL AS HAS_DEAL,
       r3 IS NOT NULL AS OWNS, r4 IS NOT NULL AS WORKS_AT, r5 IS NOT NULL AS SUBSIDIARY_OF,
       r6 IS NOT NULL AS BRANCH_OF, r7 IS NOT NULL AS REPORTS_TO, p IS NOT NULL AS PendingLink
