"""The shipped routine library (TOML files)."""
