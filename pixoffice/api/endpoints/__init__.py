"""The API's routers, one module per subject (people, campaigns, notes, badges)."""
