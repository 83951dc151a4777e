"""Alembic migrations, shipped inside the package so an installed Krav can create and upgrade its database."""
