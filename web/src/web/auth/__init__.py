"""Who is signed in to the console: the session, and sign-in through the board's provider."""
