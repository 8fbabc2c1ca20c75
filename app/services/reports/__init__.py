"""Read models: workspace, dashboards, progress, summaries, documents and the audit trail."""
