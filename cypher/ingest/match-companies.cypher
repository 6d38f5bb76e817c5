// name: match-companies
// purpose: Stored companies that share a key, an id (LEI, D-U-N-S, CIK, registration code) or a name key with incoming hierarchy records, for entity resolution.
// params: keys, leis, duns, ciks, registration_codes, name_keys
// columns: account_id, name, name_key, lei, duns, cik, registration_code, country, source, active, group_id
// One UNWIND per property so each lookup can use its index; UNION removes the duplicates.
// WHERE, not {prop: v}: kglite refuses a pattern map naming a property no Company has yet.
UNWIND $keys AS v
MATCH (c:Company) WHERE c.account_id = v
RETURN c.account_id AS account_id, c.name AS name, c.name_key AS name_key, c.lei AS lei,
       c.duns AS duns, c.cik AS cik, c.registration_code AS registration_code,
       c.country AS country, c.source AS source, c.active AS active, c.group_id AS group_id
UNION
UNWIND $leis AS v
MATCH (c:Company) WHERE c.lei = v
RETURN c.account_id AS account_id, c.name AS name, c.name_key AS name_key, c.lei AS lei,
       c.duns AS duns, c.cik AS cik, c.registration_code AS registration_code,
       c.country AS country, c.source AS source, c.active AS active, c.group_id AS group_id
UNION
UNWIND $duns AS v
MATCH (c:Company) WHERE c.duns = v
RETURN c.account_id AS account_id, c.name AS name, c.name_key AS name_key, c.lei AS lei,
       c.duns AS duns, c.cik AS cik, c.registration_code AS registration_code,
       c.country AS country, c.source AS source, c.active AS active, c.group_id AS group_id
UNION
UNWIND $ciks AS v
MATCH (c:Company) WHERE c.cik = v
RETURN c.account_id AS account_id, c.name AS name, c.name_key AS name_key, c.lei AS lei,
       c.duns AS duns, c.cik AS cik, c.registration_code AS registration_code,
       c.country AS country, c.source AS source, c.active AS active, c.group_id AS group_id
UNION
UNWIND $registration_codes AS v
MATCH (c:Company) WHERE c.registration_code = v
RETURN c.account_id AS account_id, c.name AS name, c.name_key AS name_key, c.lei AS lei,
       c.duns AS duns, c.cik AS cik, c.registration_code AS registration_code,
       c.country AS country, c.source AS source, c.active AS active, c.group_id AS group_id
UNION
UNWIND $name_keys AS v
MATCH (c:Company) WHERE c.name_key = v
RETURN c.account_id AS account_id, c.name AS name, c.name_key AS name_key, c.lei AS lei,
       c.duns AS duns, c.cik AS cik, c.registration_code AS registration_code,
       c.country AS country, c.source AS source, c.active AS active, c.group_id AS group_id
