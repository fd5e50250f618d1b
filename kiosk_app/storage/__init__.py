"""The kiosk's local SQLite store, its single writer thread, and the words for its problems."""
