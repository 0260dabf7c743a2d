"""Knowledge base: multilingual guidance articles and canned replies."""
