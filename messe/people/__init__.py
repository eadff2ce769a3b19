"""People: organisations, attendees, accounts, sign-in, personal schedules and imports."""
