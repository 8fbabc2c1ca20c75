"""Running Kinerja in a data centre: liveness and readiness, metrics, logs, backups."""
