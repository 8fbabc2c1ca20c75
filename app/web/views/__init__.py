"""Panel pages: thin declarations over the models; rules live in app/services."""
