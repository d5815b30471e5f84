"""The platform floor: pieces that know no domain, under every app (imports no app)."""
