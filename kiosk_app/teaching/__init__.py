"""What the kiosk teaches and how, as the screens see it: the kiosk service, one lesson run,
class mode, idle, settings, today's class, the library it teaches from. Pure: no Kivy."""
