"""Widgets the screens are built from: big buttons, text, cards and the simulated app screen."""
