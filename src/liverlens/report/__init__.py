"""Turn findings and reasoning into the article, and render it as text, Markdown or JSON."""
