"""The walk-up "Genius Bar" kiosk: its own App, reusing the domain and widgets."""
