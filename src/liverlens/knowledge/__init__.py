"""Clinical knowledge as validated data files (see ``data/README.md`` for the file syntax)."""

from liverlens.knowledge.loader import KnowledgeBase, fill, load_knowledge
from liverlens.knowledge.schema import BASE_LANGUAGE, Language, Text

__all__ = ["BASE_LANGUAGE", "KnowledgeBase", "Language", "Text", "fill", "load_knowledge"]
