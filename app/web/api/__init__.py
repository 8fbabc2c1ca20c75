"""REST API (FAB ModelRestApi): same resources, permissions and row-level rules as the panel."""
