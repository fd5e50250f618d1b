"""How the kiosk looks: millimetres to pixels, themes and contrast, the font and text widths
(Kivy's text renderer), every word it shows, the simulated device's frame, gestures, paging.
No widgets here: those are in screens/ and widgets/."""
