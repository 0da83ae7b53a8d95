"""The Beneficial Ownership Data Standard (BODS 0.4): the graph out as BODS statements,
BODS statements in as triples of the project's vocabulary (docs/bods.md).

- :mod:`.mapping`: the correspondence of terms, shared by both directions;
- :mod:`.export`: the graph's organisations, people and stakes as statements (streamed);
- :mod:`.importer`: statements as triples (streamed), with every statement that cannot be
  mapped named by its ``statementId``.
"""
