// fragment: in-force
// purpose: A dated link (WORKS_AT, REPORTS_TO, OWNS, ON_TEAM, SUBSIDIARY_OF, BRANCH_OF) holds on a day.
// args: r, day
// The one rule for "this link held on day": it started on or before day (a missing since
// means "since always", so replaying the first load still shows it), it had not ended by then
// (until is the first day it no longer holds), and a link without an end date holds only
// while it is active (ended links without a date are history of unknown length).
(coalesce(r.since, '0000') <= day AND (r.until IS NULL OR r.until > day)
 AND (r.active = true OR r.until IS NOT NULL))
