"""quotetool: every direct quote in a press release, with its speaker."""

from .models import Document, Quote

__version__ = "0.1.0"
__all__ = ["Document", "Quote", "__version__"]
