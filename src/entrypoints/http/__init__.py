"""The HTTP API: Flask + flask-smorest over the application's use cases."""
