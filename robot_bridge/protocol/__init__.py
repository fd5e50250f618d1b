"""The wire: topics, payload rules and every message type (robot, class, sync)."""
