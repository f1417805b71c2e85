"""Data files shipped with neuroviz (example networks, icons, desktop entry); no code lives here."""
