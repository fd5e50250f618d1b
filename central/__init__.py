"""Sarangbang central: MQTT intake of every center's progress, the central database, rosters."""
