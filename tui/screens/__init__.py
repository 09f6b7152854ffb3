"""Screens of the agent console."""
