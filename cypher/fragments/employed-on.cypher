// fragment: employed-on
// purpose: The contact is active (not deleted in the CRM) and its WORKS_AT link holds on a day.
// args: c, w, day
// "Active, and employed on date D": every query that reads the people of a company or a group
// uses this, so a deleted contact or an ended employment drops out everywhere at once.
(c.active = true AND @in-force(w, day))
