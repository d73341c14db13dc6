"""What a translation must carry over from its source: numbers, links and
placeholders, and the translation itself (mtqa/checks/bilingual.py reports)."""
