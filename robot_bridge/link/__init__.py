"""The MQTT connection, broker logins and process plumbing every program shares."""
