"""The Sarangbang kiosk: a large-font Kivy app a senior can use alone, and its local store."""
