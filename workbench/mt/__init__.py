"""Machine translation providers: the interface, DeepL, and a deterministic offline provider."""
