"""quotetool: every direct quote in a press release, with its speaker."""

from .models import Document, Quote
from .pipeline import Failure, ModelNotFound, QuotetoolError, extract, extract_many, load_nlp

__version__ = "0.1.0"
__all__ = ["Document", "Quote", "Failure", "ModelNotFound", "QuotetoolError", "extract", "extract_many",
           "load_nlp", "__version__"]
