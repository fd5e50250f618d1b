"""The kiosk's voice: speech out (pyttsx3 over espeak-ng, cached WAVs, Kivy playback) and
voice commands (vosk with a grammar of command words, fed by SpeechRecognition's audio).

Nothing here touches a widget: screens call these services and get results back through
the Kivy clock.
"""
