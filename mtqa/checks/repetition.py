"""Placeholder: rules of the repetition family are being written."""
