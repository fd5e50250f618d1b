"""A kiosk's progress sync to central: the agent, its batch planner and CLI."""
