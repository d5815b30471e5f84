"""Settings: ``base`` (development defaults, everything from the environment),
``production`` (strict: refuses to start without a secret key) and ``test``."""
