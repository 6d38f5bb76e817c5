// fragment: newest-first
// purpose: ORDER BY keys that put the most recent of several links holding on a day first.
// args: r
// When the data holds two links where the model allows one (two managers, two employers in
// one group, two deal owners), consumers take the first in this order: the latest since; then
// a link that has an end date (when replaying a past date it is the one known to have held
// then, while an open link without since may have started later); then the link created by
// the latest run (the CRM's newest statement); the caller adds the other end's id last.
coalesce(r.since, '0000') DESC, CASE WHEN r.until IS NULL THEN 1 ELSE 0 END,
  coalesce(r.created_at, '') DESC
