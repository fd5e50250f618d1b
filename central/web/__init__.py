"""The instructor dashboard: FastAPI + Jinja2, server-rendered pages and a JSON API."""
