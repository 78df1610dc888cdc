"""Who is calling, and the development tools: the test clock and the sweep on demand."""
