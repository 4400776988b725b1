"""Compute cards: randomized, reproducible problems with a safe checker and solver."""
