"""Opening central's database by URL: SQLite (the default, one file) or PostgreSQL."""
