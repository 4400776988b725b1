"""Widgets shared by the screens: grade bar, study progress, heat map, prompts."""
