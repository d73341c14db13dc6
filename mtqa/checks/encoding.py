"""Placeholder: rules of the encoding family are being written."""
