"""Personal data: forgetting a person for good, retention of inactive people, a person's full
record, and the notice every generated file carries (docs/personal-data.md)."""
