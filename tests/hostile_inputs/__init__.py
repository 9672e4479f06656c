"""Hostile and broken input files: every bad-input row of the security review (2026-12-05) that lives in a file
reader becomes one typed error with one line naming the file and what is allowed; valid files still load."""
