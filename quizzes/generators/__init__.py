"""One module per topic, each exposing `TEMPLATES`; `quizzes.registry` maps names to them."""
