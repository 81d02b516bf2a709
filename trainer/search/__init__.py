"""Full-text search over manual pages and scenarios, with word forms reduced to lemmas."""
