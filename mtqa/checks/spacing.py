"""Placeholder: rules of the spacing family are being written."""
