"""Django project package for Poradnia: settings, ASGI entry point and URL map."""
