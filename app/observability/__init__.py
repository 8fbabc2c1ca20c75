"""What the data centre watches: liveness and readiness, metrics, logs. No personal data."""
