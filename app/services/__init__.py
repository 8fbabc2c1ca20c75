"""Use cases. Each one checks permission, validates, writes in one transaction and audits.

Services take an explicit `Actor` (who is acting) rather than reading Flask globals, so the
same use case serves the panel, the REST API, the CLI and tests.
"""
