"""Relational storage: SQLAlchemy Core tables, the engine, the unit of work and repositories."""
