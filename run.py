"""Entry point: `flask --app run ...` (dev server, CLI) and `gunicorn 'run:app'`."""

from app import create_app

app = create_app()
