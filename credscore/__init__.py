"""credscore: explained evidence-quality scores for health and science articles.

The few public names::

    from credscore import load_rubric, compile_rubric, parse, score, read_paths
    loaded = load_rubric()                      # the default rubric
    compiled = compile_rubric(loaded.rubric)    # once per run
    for doc in read_paths(["seeds/"]):          # a Document, or a ReadError saying why not
        if not isinstance(doc, ReadError):
            result = score(parse(doc), compiled)    # a DocumentScore; ParseError when no text
"""

from credscore.engine.compile import compile_rubric
from credscore.engine.score import score
from credscore.models import ReadError
from credscore.parse import ParseError, parse
from credscore.read import read_paths
from credscore.rubric.load import RubricError, load_rubric
from credscore.version import __version__

__all__ = [
    "ParseError", "ReadError", "RubricError", "__version__", "compile_rubric", "load_rubric", "parse",
    "read_paths", "score",
]
