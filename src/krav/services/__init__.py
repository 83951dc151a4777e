"""Use cases. Each takes a unit of work and the business date, and commits once."""
