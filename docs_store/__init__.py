"""Content-addressed document storage and PDF intake. Knows nothing about meetings."""
