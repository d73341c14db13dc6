"""Placeholder: rules of the language family are being written."""
