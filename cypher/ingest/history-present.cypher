// name: history-present
// purpose: How many values of each kind the history rules keep the store holds, before a run.
// params:
// columns: Contact, ROLE_IN
// One column per HistoryRule.on (kamgraph/schema/end_rules.py). A kind the store holds none of
// has no old value to keep: the run leaves out its history statement (nothing it could match).
OPTIONAL MATCH (c:Contact)
WITH count(c) AS contacts
OPTIONAL MATCH ()-[r:ROLE_IN]->()
RETURN contacts AS Contact, count(r) AS ROLE_IN
