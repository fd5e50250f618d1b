"""Robot-led classes: the pure class runner, the site bridge that hosts it, kiosks' class client."""
