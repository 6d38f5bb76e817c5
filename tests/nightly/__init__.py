"""The nightly-changes scenario (issue 11): one portfolio over three nights, its writers."""
