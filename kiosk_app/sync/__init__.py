"""The kiosk's sync agent (`sarangbang-sync`), beside the store it reads: it ships the outbox to
central, brings the roster back, and fetches published lesson libraries from the center."""
