"""Entry points: the CLI, the REST API, the portal and the worker. Thin: parse, call a service, present."""
