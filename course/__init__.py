"""coursegen: course materials from curated YAML, Arabic first.

Top-level modules are the ones every room may see: `document` (the document model, which
imports nothing), `errors` (diagnostics), `arabic` (text folding) and the command line
(`cli`, the only module that knows every room). The rooms are sub-packages: `content`,
`quiz`, `render`, `build` and `scan`; `generators` (a sibling package) holds the writers.
"""
