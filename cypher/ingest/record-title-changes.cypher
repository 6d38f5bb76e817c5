// name: record-title-changes
// purpose: Before contacts are updated, keep the job title a contact is about to lose.
// params: rows, today
// columns: changed
// rows: [{key, job_title}]. Runs before upsert-contact in the same batch; the title moves to
// previous_titles ("<title> (until <date>)") and job_title_since records when the new one began.
UNWIND $rows AS row
MATCH (c:Contact {contact_id: row.key})
WHERE row.job_title IS NOT NULL AND c.job_title IS NOT NULL AND c.job_title <> row.job_title
SET c.previous_titles = coalesce(c.previous_titles, []) + [c.job_title + ' (until ' + $today + ')'],
    c.job_title_since = $today
RETURN count(c) AS changed
