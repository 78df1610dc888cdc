"""The console's pages, a router each."""
