"""Practice exams: a YAML spec, drawn reproducibly into items, printed, taken and scored.

`spec` reads and checks the spec, `build` draws an `Exam` from (spec, seed, variant),
`render_md`, `render_html` and `serialize` print it, `scoring` grades an attempt.
Nothing here imports Textual; the exam screen lives in `flashcards.tui.screens.exam`.
"""
