"""cxculture: diagnose and grow the customer-centric culture of an organisation."""

__version__ = "0.1.0"
