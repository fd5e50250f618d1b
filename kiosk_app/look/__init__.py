"""How the kiosk looks: millimetres to pixels, themes and contrast, text widths, every word it shows, the simulated device's frame, gestures, paging. No widgets here."""
