// fragment: ended-by
// purpose: A dated link had ended on or before a day (history: the complement of in-force's end).
// args: r, day
// Ended means an until on or before day, or made inactive without a date.
((r.until IS NOT NULL AND r.until <= day) OR (r.active = false AND r.until IS NULL))
