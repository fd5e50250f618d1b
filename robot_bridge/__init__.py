"""Sarangbang site side: the MQTT wire protocol, robots, class runner and progress sync."""
