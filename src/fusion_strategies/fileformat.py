"""The catalog file: JSON to a `Catalog` and back, through one strict cattrs converter.

A file is an object with ``format`` (2), ``source``, ``vocabulary``, ``entities``,
``strategies``, ``withdrawn`` (the strategies and excerpts that left the page, whose ids
are never reused) and ``capture_sha256`` (the hash of the page capture it was built from);
a strategy names its issuer by entity id. Format 1, without the last two, is still read.
Nothing is coerced: ``"2019"`` is not a year and ``1`` is not a string, and unknown keys
are errors. Every problem is
reported at once, each with its JSON path, in a `DatasetError`.
"""

from __future__ import annotations

import datetime
import enum
import json
import os
import re
import typing
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextvars import ContextVar
from itertools import chain
from typing import Any, TypeVar

import attrs
import cattrs
from cattrs.cols import homogenous_tuple_structure_factory, mapping_structure_factory
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from . import _reading
from ._collector import paused
from ._reading import read_at_most
from .catalog import Catalog
from .errors import DatasetError
from .model import (
    DocumentKind,
    Entity,
    EntityKind,
    Excerpt,
    PartialDate,
    SourcePage,
    Strategy,
    Theme,
    Withdrawn,
)

__all__ = [
    "FORMAT_VERSION",
    "MAX_DEPTH",
    "MAX_FILE_SIZE",
    "MAX_INTEGER_DIGITS",
    "READ_FORMATS",
    "dumps",
    "json_schema",
    "load",
    "loads",
    "to_data",
]

FORMAT_VERSION = 2
"""The version of the file format this package writes; it reads this one and format 1."""

READ_FORMATS = (1, 2)
"""The versions of the file format this package reads."""

_FORMAT_2 = ("withdrawn", "capture_sha256")

MAX_DEPTH = 64
"""How deeply a file's arrays and objects may nest; nested excerpts need far less."""

MAX_FILE_SIZE = _reading.MAX_FILE_SIZE
"""The largest catalog file, in bytes (64 MiB), that `load` and `loads` read unless told.

Their ``max_size`` keyword raises it (or lowers it) for one call."""

MAX_INTEGER_DIGITS = 20
"""The most digits an integer in a file may have; a year needs four."""

_T = TypeVar("_T")
_UTF8_BOM = b"\xef\xbb\xbf"
# A JSON escape of a surrogate; only a text that holds one can decode to a lone surrogate.
# Both patterns are compiled on first use (re caches them): the bundled file needs neither.
_SURROGATE_ESCAPE = r"\\u[dD][89a-fA-F]"
_SURROGATE = "[\ud800-\udfff]"
_PARTIAL_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@attrs.frozen(kw_only=True, eq=False, repr=False, slots=False)
class _Document:
    """The top-level object of a catalog file.

    One is made for each load, and only its fields are read: it is never compared, hashed
    or shown, so its class has no ``==``, hash, repr or slots, which attrs would make at
    import, for every one-shot (about 2 million instructions).
    """

    format: int
    source: SourcePage
    vocabulary: dict[Theme, tuple[str, ...]] = attrs.field(factory=dict)
    # Entities come before strategies: structuring them makes the ids that a strategy's
    # issuer refers to known (see _structure_entities).
    entities: tuple[Entity, ...] = ()
    strategies: tuple[Strategy, ...]
    withdrawn: tuple[Withdrawn, ...] = ()
    capture_sha256: str | None = None


class _InvalidValueError(ValueError):
    """A value of the wrong JSON type or form; its message is the whole explanation."""


_known_entities: ContextVar[Mapping[str, Entity] | None] = ContextVar(
    "_known_entities", default=None
)


def load(path: str | os.PathLike[str], *, max_size: int = MAX_FILE_SIZE) -> Catalog:
    """Read a catalog file; `OSError` if it cannot be read, `DatasetError` if it is invalid.

    A file larger than `max_size` bytes (`MAX_FILE_SIZE`, 64 MiB, unless told) is refused
    unread, so that a stream that never ends (``/dev/zero``) is an error, not a hang; a
    pipe that nobody writes to reads as empty. Raise `max_size` for a catalog of your own
    that is larger: 500,000 excerpts of a paragraph each take about 230 MB.

    >>> import fusion_strategies as fs, pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "catalog.json"
    >>> _ = path.write_text(fs.dumps(fs.catalog()), encoding="utf-8")
    >>> fs.load(path) == fs.catalog()
    True
    >>> fs.load(path, max_size=1000)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
      ...
    fusion_strategies.errors.DatasetError: ...catalog.json: invalid catalog (1 problem)
    $: larger than 1,000 bytes, the max_size it was read with
    """
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"load() takes a path, a str or an os.PathLike, not {type(path).__name__}")
    _require_size(max_size, "load")
    content = read_file(path, max_size=max_size)
    try:
        return loads(content, max_size=max_size)
    except DatasetError as error:
        raise DatasetError(error.problems, source=os.fspath(path)) from None


def loads(data: str | bytes, *, max_size: int = MAX_FILE_SIZE) -> Catalog:
    """Read a catalog from JSON text; `DatasetError` lists every problem with its path.

    A text longer than `max_size` (`MAX_FILE_SIZE` unless told; bytes, or characters of a
    str) is refused before it is parsed, as `load` refuses such a file.

    >>> import fusion_strategies as fs
    >>> fs.loads(fs.dumps(fs.catalog())) == fs.catalog()
    True
    >>> fs.loads('{"format": 1, "source": {}, "strategies": "none"}')
    Traceback (most recent call last):
      ...
    fusion_strategies.errors.DatasetError: invalid catalog (5 problems)
    $.source.title: missing required field
    $.source.url: missing required field
    $.source.publisher: missing required field
    $.source.last_updated: missing required field
    $.strategies: expected an array, not a string
    """
    if not isinstance(data, (str, bytes)):
        raise TypeError(f"loads() takes a str or bytes, not {type(data).__name__}")
    _require_size(max_size, "loads")
    with paused():
        # A str may hold a lone surrogate, which only a scan of the whole text finds. Every
        # string of a catalog meets a check that refuses one, though (an id's pattern, a
        # text's rules, an entity's id, a key of its object), so the scan runs only when a
        # check fails, to name the surrogates rather than what they broke.
        raw = _parse(data, depth=False, max_size=max_size, raw_surrogates=False)
        try:
            return _catalog(raw, proven=False)
        except DatasetError:
            _refuse_raw_surrogates(data, raw)
            raise


def _require_size(max_size: object, function: str) -> None:
    """`TypeError` or `ValueError` for a `max_size` that is not a count of bytes."""
    if type(max_size) is not int:
        raise TypeError(f"{function}() takes max_size as an int, not {type(max_size).__name__}")
    if max_size < 0:
        raise ValueError(f"{function}() takes max_size as a count of bytes, not {max_size}")


def loads_proven(data: bytes) -> Catalog:
    """Read a catalog file that the data build proved: the bundled one, and no other.

    ``build-data.sh --check`` proves that the committed file is what the build writes, and
    the build writes it with `dumps` from a catalog that kept every invariant. So the file
    parses without the checks that `loads` makes of a stranger's text, and the catalog is
    not checked again; its records still come through the converter, which still refuses
    a value of the wrong type. Text that is not JSON goes to `loads`, which says why.

    >>> import fusion_strategies as fs
    >>> from fusion_strategies.fileformat import loads_proven
    >>> loads_proven(fs.dumps(fs.catalog()).encode()) == fs.catalog()
    True
    """
    try:
        raw = json.loads(data)
    except ValueError:
        return loads(data)
    if not isinstance(raw, dict):
        return loads(data)
    return _catalog(raw, proven=True)


def _catalog(raw: dict[str, object], *, proven: bool) -> Catalog:
    """The catalog of a parsed file whose depth is not yet checked.

    The first pass takes the fast paths only. A file that it takes has the model's shape,
    whose only unbounded nesting, nested excerpts, the fast path bounds: that file is not
    too deep. A file that it does not take is checked for depth, then structured again
    with cattrs' detailed hooks behind the fast paths, which report every problem.
    """
    token = _known_entities.set(None)
    fast_only = _fast_only.set(True)
    try:
        document = _CONVERTER.structure(raw, _Document)
    except _NotFastError:
        document = None
    finally:
        _fast_only.reset(fast_only)
        _known_entities.reset(token)
    if document is None:
        _refuse_deep(raw)
        document = _structure(raw)
    if document.format == 1:
        _raise_format_2_fields(raw)
    return Catalog._of_structured(
        source=document.source,
        strategies=document.strategies,
        entities=document.entities,
        vocabulary=document.vocabulary,
        withdrawn=document.withdrawn,
        capture_sha256=document.capture_sha256,
        proven=proven,
    )


def _structure(raw: dict[str, object]) -> _Document:
    token = _known_entities.set(None)
    try:
        return _CONVERTER.structure(raw, _Document)
    except (cattrs.BaseValidationError, _InvalidValueError) as error:
        raise DatasetError(_problems(error)) from None
    finally:
        _known_entities.reset(token)


def structure_document(data: str | bytes, cls: type[_T]) -> _T:
    """Parse JSON text and structure it as `cls` through the strict converter.

    The one path from JSON to the package's records, for the catalog file and the curated
    overlay alike: `DatasetError` lists every problem with its JSON path.
    """
    if not isinstance(data, (str, bytes)):
        raise TypeError(f"expected a str or bytes, not {type(data).__name__}")
    raw = _parse(data)
    try:
        return _CONVERTER.structure(raw, cls)
    except (cattrs.BaseValidationError, _InvalidValueError) as error:
        raise DatasetError(_problems(error)) from None


def _raise_format_2_fields(raw: dict[str, object]) -> None:
    """Raise `DatasetError` for each field of format 2 that a format 1 file holds."""
    newer = [
        f"$.{key}: not a field of format 1; it needs format 2" for key in _FORMAT_2 if key in raw
    ]
    if newer:
        raise DatasetError(newer)


def dumps(catalog: Catalog) -> str:
    r"""Write a catalog as JSON in the file format, so that ``loads(dumps(c)) == c``.

    >>> import fusion_strategies as fs
    >>> fs.dumps(fs.catalog())[:30]
    '{\n  "format": 2,\n  "source": {'
    """
    if not isinstance(catalog, Catalog):
        raise TypeError(f"dumps() takes a Catalog, not {type(catalog).__name__}")
    document = _Document(
        format=FORMAT_VERSION,
        source=catalog.source(),
        vocabulary=dict(catalog.vocabulary()),
        entities=catalog.entities(),
        strategies=catalog.strategies(),
        withdrawn=catalog.withdrawn(),
        capture_sha256=catalog.capture_sha256,
    )
    return json.dumps(_CONVERTER.unstructure(document), ensure_ascii=False, indent=2) + "\n"


def to_data(record: Strategy | Entity) -> dict[str, object]:
    """A strategy or an entity as the catalog file writes it: plain JSON data.

    >>> import fusion_strategies as fs
    >>> from fusion_strategies.fileformat import to_data
    >>> data = to_data(fs.lookup("QHSR"))
    >>> data["issuer"], data["period"], data["published"]
    ('dhs', {'start': 2014, 'end': 2014}, '2014-06-19')
    """
    if not isinstance(record, (Strategy, Entity)):
        raise TypeError(f"to_data() takes a Strategy or an Entity, not {type(record).__name__}")
    data: dict[str, object] = _CONVERTER.unstructure(record)
    return data


def json_schema() -> dict[str, object]:
    """The JSON Schema (draft 2020-12) of the catalog file, derived from the model.

    >>> import fusion_strategies as fs
    >>> schema = fs.json_schema()
    >>> schema["$schema"], schema["required"]
    ('https://json-schema.org/draft/2020-12/schema', ['format', 'source', 'strategies'])
    """
    definitions: dict[str, object] = {}
    root = _object_schema(_Document, definitions)
    format_1 = {"properties": {"format": {"const": 1}}, "required": ["format"]}
    newer = {"anyOf": [{"required": [key]} for key in _FORMAT_2]}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "fusion_strategies catalog",
        **root,
        "if": format_1,
        "then": {"not": newer},
        "$defs": definitions,
    }


# -- parsing -------------------------------------------------------------------------------


def read_file(path: str | os.PathLike[str], *, max_size: int = MAX_FILE_SIZE) -> bytes:
    """A file's bytes, at most `max_size` of them; never waits for a pipe's writer.

    The one reader of the package's input files: catalogs, overlays and page captures.
    """
    content = read_at_most(path, max_size)
    if len(content) > max_size:
        raise DatasetError([_too_large(max_size)], source=os.fspath(path))
    return content


def _too_large(max_size: int) -> str:
    if max_size == MAX_FILE_SIZE:
        return f"$: larger than {max_size:,} bytes, the most a catalog file may hold"
    return f"$: larger than {max_size:,} bytes, the max_size it was read with"


def _text(data: str | bytes, max_size: int = MAX_FILE_SIZE) -> str:
    """The text of a file: UTF-8 (a byte-order mark allowed and dropped), nothing else."""
    if len(data) > max_size:
        raise DatasetError([_too_large(max_size)])
    if isinstance(data, str):
        return data.removeprefix("\ufeff")
    if data.startswith(_UTF8_BOM):
        data = data[len(_UTF8_BOM) :]
    elif data[:4].count(0):
        # JSON starts with an ASCII character, so UTF-16 and UTF-32 put a zero byte here.
        encoding = json.detect_encoding(data)
        raise DatasetError([f"$: not UTF-8 text ({encoding.upper()}); save the file as UTF-8"])
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DatasetError(["$: not UTF-8 text (UTF-16 byte-order mark); save the file as UTF-8"])
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise DatasetError([f"$: not UTF-8 text ({error.reason} at byte {error.start})"]) from None


class _HugeInteger(int):
    """An integer of more than MAX_INTEGER_DIGITS digits, kept as 0 and reported by path."""

    digits: int


class _Object(dict[str, object]):
    """A JSON object in which a key was repeated; `repeated` names those keys."""

    repeated: tuple[str, ...]


class _Decoding:
    """The hooks of one parse: they mark what the format forbids, for a walk to locate."""

    def __init__(self) -> None:
        self.marked = False

    def integer(self, digits: str) -> int:
        if len(digits.lstrip("-")) <= MAX_INTEGER_DIGITS:
            return int(digits)
        self.marked = True
        huge = _HugeInteger(0)
        huge.digits = len(digits.lstrip("-"))
        return huge

    def mapping(self, pairs: list[tuple[str, object]]) -> dict[str, object]:
        result = dict(pairs)
        if len(result) == len(pairs):
            return result
        self.marked = True
        marked = _Object(result)
        seen: set[str] = set()
        repeated: dict[str, None] = {}  # in the order of their second occurrence
        for key, _ in pairs:
            if key in seen:
                repeated[key] = None
            seen.add(key)
        marked.repeated = tuple(repeated)
        return marked

    @staticmethod
    def constant(name: str) -> object:
        raise ValueError(f"{name} is not a JSON value")


def _parse(
    data: str | bytes,
    *,
    depth: bool = True,
    max_size: int = MAX_FILE_SIZE,
    raw_surrogates: bool = True,
) -> dict[str, object]:
    """The JSON object of a file; `DatasetError` for what the format forbids.

    ``depth=False`` leaves the depth of a file without forbidden values to the caller;
    ``raw_surrogates=False`` leaves a str's unescaped lone surrogates to it too
    (`_refuse_raw_surrogates`), for a caller whose checks refuse any string that holds one.
    """
    text = _text(data, max_size)
    hooks = _Decoding()
    decoder = json.JSONDecoder(
        object_pairs_hook=hooks.mapping, parse_int=hooks.integer, parse_constant=hooks.constant
    )
    try:
        raw = decoder.decode(text)
    except json.JSONDecodeError as error:
        message = f"$: invalid JSON: {error.msg} at line {error.lineno} column {error.colno}"
        raise DatasetError([message]) from None
    except ValueError as error:  # NaN, Infinity
        raise DatasetError([f"$: invalid JSON: {error}"]) from None
    except RecursionError:
        raise DatasetError([f"$: nested more than {MAX_DEPTH} levels deep"]) from None
    if not isinstance(raw, dict):
        raise DatasetError([f"$: expected an object, not {_json_type(raw)}"])
    # UTF-8 decoding refused raw surrogates in bytes; a str may hold them, and text that
    # cannot be encoded does. Both tests are C loops: a regex over the text is ten times
    # slower for a character class.
    unescaped = raw_surrogates and _holds_raw_surrogates(data, text)
    # Only a backslash escapes a surrogate: one quick scan for it spares most files the regex.
    escaped = "\\" in text
    forbidden = hooks.marked or unescaped or (escaped and re.search(_SURROGATE_ESCAPE, text))
    if depth or forbidden:
        _refuse_deep(raw)
    if forbidden:
        problems = list(_forbidden(raw))
        if problems:
            raise DatasetError(problems)
    return raw


def _holds_raw_surrogates(data: str | bytes, text: str) -> bool:
    """Whether the text of a file holds an unescaped lone surrogate: only a str may."""
    return isinstance(data, str) and not text.isascii() and not _encodes(text)


def _refuse_raw_surrogates(data: str | bytes, raw: dict[str, object]) -> None:
    """`DatasetError` naming each lone surrogate that `_parse` left to the caller, if any."""
    if _holds_raw_surrogates(data, _text(data, len(data))):
        raise DatasetError(list(_forbidden(raw)))


def _refuse_deep(raw: dict[str, object]) -> None:
    if _nests_too_deep(raw):
        raise DatasetError([f"{_too_deep(raw)}: nested more than {MAX_DEPTH} levels deep"])


def _encodes(text: str) -> bool:
    """Whether a text holds no surrogate, so that UTF-8 encodes it.

    UTF-16 refuses exactly the code points that UTF-8 does, the surrogates, and encodes
    the two-byte characters of most texts in a third of the time.
    """
    try:
        text.encode("utf-16-le")
    except UnicodeEncodeError:
        return False
    return True


def _forbidden(raw: object) -> Iterator[str]:
    """The path of each repeated key, lone surrogate and huge integer, in document order."""
    pending: list[tuple[object, str]] = [(raw, "$")]
    while pending:
        value, path = pending.pop()
        if isinstance(value, str):
            if re.search(_SURROGATE, value):
                yield f"{path}: a lone surrogate ({_surrogate(value)}), which is not Unicode text"
        elif isinstance(value, _HugeInteger):
            yield f"{path}: an integer of {value.digits} digits, more than {MAX_INTEGER_DIGITS}"
        elif isinstance(value, dict):
            if isinstance(value, _Object):
                for key in value.repeated:
                    yield f"{path}.{_key(key)}: duplicate key {_key(key)!r}"
            items = [(item, f"{path}.{_key(key)}") for key, item in value.items()]
            items += [(key, f"{path}.{_key(key)}") for key in value if re.search(_SURROGATE, key)]
            pending += reversed(items)
        elif isinstance(value, list):
            pending += reversed([(item, f"{path}[{i}]") for i, item in enumerate(value)])


def _surrogate(text: str) -> str:
    found = re.search(_SURROGATE, text)
    assert found is not None
    return f"U+{ord(found[0]):04X}"


def _key(key: str) -> str:
    """A key as a path shows it, with a lone surrogate escaped so that the path prints."""
    return key.encode("utf-8", "backslashreplace").decode("utf-8")


def _nests_too_deep(raw: dict[str, object]) -> bool:
    """Whether any value lies deeper than MAX_DEPTH; quick, for it builds no paths.

    It goes level by level: one comprehension finds each level's arrays and objects, and
    most values, strings, take one test.
    """
    level: list[dict[str, object] | list[object]] = [raw]
    for _ in range(MAX_DEPTH):
        items: Iterable[object] = chain.from_iterable(
            [value.values() if isinstance(value, dict) else value for value in level]
        )
        level = [item for item in items if type(item) is not str and isinstance(item, (dict, list))]
        if not level:
            return False
    return any(level)  # the items of an array or object at MAX_DEPTH lie deeper


def _too_deep(raw: object) -> str | None:
    """The path of the first value nested deeper than MAX_DEPTH, without recursing."""
    pending: list[tuple[object, str, int]] = [(raw, "$", 0)]
    while pending:
        value, path, depth = pending.pop()
        if depth > MAX_DEPTH:
            return path
        if isinstance(value, dict):
            pending += ((item, f"{path}.{key}", depth + 1) for key, item in value.items())
        elif isinstance(value, list):
            pending += ((item, f"{path}[{i}]", depth + 1) for i, item in enumerate(value))
    return None


def _problems(error: Exception) -> list[str]:
    if isinstance(error, _InvalidValueError):
        return [f"$: {error}"]
    lines = cattrs.transform_error(error, path="$", format_exception=_describe)
    located = (line.rpartition(" @ ") for line in lines)
    return [f"{path}: {message}" for message, _, path in located]


def _describe(error: BaseException, _type: object) -> str:
    if isinstance(error, _InvalidValueError):
        return str(error)
    if isinstance(error, KeyError):
        return "missing required field"
    if isinstance(error, cattrs.ForbiddenExtraKeysError):
        fields = ", ".join(repr(field) for field in sorted(error.extra_fields))
        return f"unknown field{'s' if len(error.extra_fields) > 1 else ''} {fields}"
    return f"invalid value ({error})"


def _json_type(value: object) -> str:
    names = {dict: "an object", list: "an array", str: "a string", bool: "a boolean"}
    names.update({int: "an integer", float: "a number", type(None): "null"})
    return names.get(type(value), type(value).__name__)


# -- the converter ---------------------------------------------------------------------
#
# Every hook has a fast path for what a valid file holds: plain checks of each value's
# JSON type, no generated code. Whatever the fast path does not take, it hands to the hook
# that cattrs generates with detailed validation (made on first need), which raises the
# error that names the problem and its path. So a valid file pays neither for cattrs' code
# generation nor for its bookkeeping of errors, and an invalid one is reported by cattrs'
# own hooks, every problem at once, as before.

_Hook = Callable[[Any, Any], Any]


class _NotFastError(Exception):
    """Raised inside a fast path for a value that it leaves to the detailed hook."""


_fast_only: ContextVar[bool] = ContextVar("_fast_only", default=False)
"""Whether the detailed hooks are refused: a first pass, that takes fast paths only."""

_FAST_NESTING = 16
"""How deeply the fast path nests excerpts. Its deepest value is then 5 + 2 * 16 = 37
levels down, within MAX_DEPTH: a file that the fast paths take is not too deep."""


def _detailed(hooks: list[_Hook], make: Callable[[], _Hook]) -> _Hook:
    """The detailed hook, made on first need; `_NotFastError` in a fast-only pass."""
    if _fast_only.get():
        raise _NotFastError
    if not hooks:
        hooks.append(make())
    return hooks[0]


def _make_converter(*, fast: bool = True) -> cattrs.Converter:
    """The strict converter; ``fast=False`` leaves out the fast paths, for tests to compare."""
    converter = cattrs.Converter(forbid_extra_keys=True, detailed_validation=True)
    # Strict scalar hooks go first: the class hooks generated later take them up.
    converter.register_structure_hook(str, _expect(str, "a string"))
    converter.register_structure_hook(int, _structure_int)
    # Our enums are str subclasses: each needs its own hook, or the str hook takes them.
    for enum_type in (Theme, DocumentKind, EntityKind):
        converter.register_structure_hook(enum_type, _enum_hook(enum_type))
        converter.register_unstructure_hook(enum_type, lambda member: member.value)
    converter.register_structure_hook(datetime.date, _structure_date)
    converter.register_unstructure_hook(datetime.date, datetime.date.isoformat)
    converter.register_structure_hook(PartialDate, _structure_partial_date)
    converter.register_unstructure_hook(PartialDate, str)
    converter.register_structure_hook_factory(_is_literal, lambda _type: _structure_literal)
    converter.register_structure_hook_factory(
        _is_tuple, lambda type_: _tuple_hook(converter, type_, fast)
    )
    converter.register_structure_hook_factory(
        _is_dict, lambda type_: _dict_hook(converter, type_, fast)
    )
    converter.register_structure_hook_factory(
        attrs.has, lambda type_: _object_hook(converter, type_, fast, {})
    )
    # Registered later, so asked first: the classes whose fields have hooks of their own.
    converter.register_structure_hook_factory(
        lambda type_: type_ is Strategy,
        lambda type_: _object_hook(converter, Strategy, fast, {"issuer": _structure_issuer}),
    )
    converter.register_structure_hook_factory(
        lambda type_: type_ is _Document,
        lambda type_: _object_hook(
            converter,
            _Document,
            fast,
            {"format": _structure_format, "entities": _structure_entities(converter)},
        ),
    )
    if fast:
        converter.register_structure_hook_factory(
            lambda type_: type_ == tuple[Excerpt, ...], lambda _type: _excerpts_hook(converter)
        )
    # Generated on first use, like every other hook: only dumps() unstructures.
    converter.register_unstructure_hook_factory(
        lambda type_: type_ is Strategy,
        lambda type_: make_dict_unstructure_fn(
            type_, converter, issuer=override(unstruct_hook=lambda entity: entity.id)
        ),
    )
    return converter


def _expect(kind: type[_T], described: str) -> Callable[[object, object], _T]:
    def structure(value: object, _type: object) -> _T:
        if not isinstance(value, kind):
            raise _InvalidValueError(f"expected {described}, not {_json_type(value)}")
        return value

    return structure


def _structure_int(value: object, _type: object) -> int:
    if type(value) is not int:
        raise _InvalidValueError(f"expected an integer, not {_json_type(value)}")
    return value


def _structure_format(value: object, _type: object) -> int:
    version = _structure_int(value, int)
    if version not in READ_FORMATS:
        read = " and ".join(str(each) for each in READ_FORMATS)
        raise _InvalidValueError(f"unsupported format {version}; this version reads formats {read}")
    return version


def _structure_date(value: object, _type: object) -> datetime.date:
    text = _expect(str, "a date string (YYYY-MM-DD)")(value, str)
    try:
        if not _DATE.fullmatch(text):
            raise ValueError("not of the form YYYY-MM-DD")
        return datetime.date.fromisoformat(text)
    except ValueError as error:
        raise _InvalidValueError(f"invalid date {text!r}: {error}") from None


def _structure_partial_date(value: object, _type: object) -> PartialDate:
    text = _expect(str, "a date string (YYYY, YYYY-MM or YYYY-MM-DD)")(value, str)
    match = _PARTIAL_DATE.fullmatch(text)
    if match is None:
        raise _InvalidValueError(f"invalid date {text!r}: expected YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = (None if part is None else int(part) for part in match.groups())
    assert year is not None  # the pattern requires it
    return PartialDate(year=year, month=month, day=day)


def _is_enum(type_: object) -> bool:
    return isinstance(type_, type) and issubclass(type_, enum.Enum)


def _enum_hook(enum_type: type[enum.Enum]) -> Callable[[object, object], enum.Enum]:
    members = {member.value: member for member in enum_type}
    valid = ", ".join(repr(value) for value in members)

    def structure(value: object, _type: object) -> enum.Enum:
        member = members.get(value) if isinstance(value, str) else None
        if member is None:
            raise _InvalidValueError(f"expected one of {valid}; got {value!r}")
        return member

    return structure


def _is_literal(type_: object) -> bool:
    return typing.get_origin(type_) is typing.Literal


def _structure_literal(value: object, literal: object) -> object:
    choices = typing.get_args(literal)
    if isinstance(value, str) and value in choices:
        return value
    valid = ", ".join(repr(choice) for choice in choices)
    raise _InvalidValueError(f"expected one of {valid}; got {value!r}")


def _is_tuple(type_: object) -> bool:
    return typing.get_origin(type_) is tuple


def _is_dict(type_: object) -> bool:
    return typing.get_origin(type_) is dict


def _tuple_hook(converter: cattrs.Converter, type_: Any, fast: bool) -> _Hook:
    made: list[_Hook] = []
    if not fast:
        return _detailed_tuple(converter, type_)
    (item_type,) = {arg for arg in typing.get_args(type_) if arg is not ...}
    item = converter.get_structure_hook(item_type)

    def structure(value: object, _type: Any) -> Any:
        if type(value) is list:
            if item_type is str:
                if all(type(each) is str for each in value):
                    return tuple(value)
            else:
                try:
                    return tuple([item(each, item_type) for each in value])
                except Exception:  # whatever it is, the detailed hook says where
                    pass
        return _detailed(made, lambda: _detailed_tuple(converter, type_))(value, type_)

    return structure


def _detailed_tuple(converter: cattrs.Converter, type_: Any) -> _Hook:
    items = homogenous_tuple_structure_factory(type_, converter)

    def structure(value: object, _type: Any) -> Any:
        return items(_expect(list, "an array")(value, list), type_)

    return structure


def _dict_hook(converter: cattrs.Converter, type_: Any, fast: bool) -> _Hook:
    made: list[_Hook] = []  # generated code: made the first time it is needed

    def report(value: object, _type: Any) -> Any:
        detailed = _detailed(made, lambda: mapping_structure_factory(type_, converter))
        return detailed(_expect(dict, "an object")(value, dict), type_)

    if not fast:
        return report
    key_type, value_type = typing.get_args(type_)
    key, item = converter.get_structure_hook(key_type), converter.get_structure_hook(value_type)

    def structure(value: object, _type: Any) -> Any:
        if type(value) is dict:
            try:
                return {key(k, key_type): item(v, value_type) for k, v in value.items()}
            except Exception:  # whatever it is, the detailed hook says where
                pass
        return report(value, type_)

    return structure


def _object_hook(
    converter: cattrs.Converter, cls: type[_T], fast: bool, overrides: Mapping[str, _Hook]
) -> Callable[[object, Any], _T]:
    made: list[_Hook] = []  # generated code: made the first time it is needed
    hooks: dict[str, Any] = {name: override(struct_hook=hook) for name, hook in overrides.items()}

    def report(value: object, _type: Any) -> _T:
        detailed = _detailed(made, lambda: make_dict_structure_fn(cls, converter, **hooks))
        result: _T = detailed(_expect(dict, "an object")(value, dict), cls)
        return result

    if not fast or typing.get_origin(cls) is not None:
        return report  # a generic class (the curated overlay's) is left to cattrs throughout
    hints = typing.get_type_hints(cls)
    # (name, the hook or None for a str, the field's type); a field that a file must give
    # and does not is the TypeError of the class, which leaves the object to `report`.
    plan = tuple(
        (field.name, overrides.get(field.name) or _field_hook(converter, hint), hint)
        for field in attrs.fields(typing.cast("type[attrs.AttrsInstance]", cls))
        for hint in [hints[field.name]]
    )
    names = frozenset(name for name, *_ in plan)

    def structure(value: object, _type: Any) -> _T:
        if type(value) is dict and value.keys() <= names:
            try:
                return cls(**_arguments(plan, value))
            except Exception:  # whatever it is, the detailed hook says where
                pass
        return report(value, cls)

    return structure


def _field_hook(converter: cattrs.Converter, type_: object) -> _Hook | None:
    """The hook of a field's type; None for a string, which the fast path tests itself."""
    return None if type_ is str else converter.get_structure_hook(type_)


def _arguments(
    plan: tuple[tuple[str, _Hook | None, object], ...], value: dict[str, object]
) -> dict[str, object]:
    """The fields a JSON object gives, in field order; `_NotFastError` if one is amiss."""
    arguments: dict[str, object] = {}
    for name, hook, type_ in plan:
        if name in value:
            item = value[name]
            if hook is not None:
                arguments[name] = hook(item, type_)
            elif type(item) is str:
                arguments[name] = item
            else:
                raise _NotFastError
    return arguments


def _excerpts_hook(converter: cattrs.Converter) -> _Hook:
    """Excerpts, the bulk of a large file, in one recursive function of plain checks."""
    made: list[_Hook] = []

    def structure(value: object, type_: Any) -> tuple[Excerpt, ...]:
        try:
            return _excerpts(value, 0)
        except (_NotFastError, KeyError):
            pass
        detailed = _detailed(made, lambda: _detailed_tuple(converter, tuple[Excerpt, ...]))
        result: tuple[Excerpt, ...] = detailed(value, type_)
        return result

    return structure


def _excerpts(value: object, nesting: int) -> tuple[Excerpt, ...]:
    """The excerpts of a JSON array, in one loop of plain checks; `_NotFastError` if amiss."""
    if type(value) is not list or nesting > _FAST_NESTING:
        raise _NotFastError
    built: list[Excerpt] = []
    for item in value:
        if type(item) is not dict:
            raise _NotFastError
        identifier, text = item["id"], item["text"]  # a KeyError is left to the detailed hook
        size = len(item)
        if size == 2:
            children: tuple[Excerpt, ...] = ()
        elif size == 3:
            nested = item["children"]
            # `dumps` writes "children": [] for every leaf: the call is saved, not the check.
            children = () if nested == [] else _excerpts(nested, nesting + 1)
        else:
            raise _NotFastError
        if type(identifier) is not str or type(text) is not str:
            raise _NotFastError
        built.append(Excerpt(id=identifier, text=text, children=children))
    return tuple(built)


def _structure_entities(converter: cattrs.Converter) -> Callable[[object, Any], tuple[Entity, ...]]:
    def structure(value: object, _type: Any) -> tuple[Entity, ...]:
        entities: tuple[Entity, ...] = converter.structure(value, tuple[Entity, ...])
        _known_entities.set({entity.id: entity for entity in entities})
        return entities

    return structure


def _structure_issuer(value: object, _type: object) -> Entity:
    entity_id = _expect(str, "an entity id")(value, str)
    known = _known_entities.get()
    if known is None:
        # $.entities is invalid and reported; the whole document fails with it, so this
        # stand-in is never seen, and one error per strategy would only repeat it.
        return Entity(id=entity_id, name=entity_id, kind=EntityKind.ORGANIZATION)
    if entity_id not in known:
        raise _InvalidValueError(
            f"unknown entity {entity_id!r}; it must be the id of one of $.entities"
        )
    return known[entity_id]


# -- the schema ------------------------------------------------------------------------


def _object_schema(cls: type, definitions: dict[str, object]) -> dict[str, object]:
    hints = typing.get_type_hints(cls)
    properties: dict[str, object] = {}
    required: list[str] = []
    for field in attrs.fields(cls):
        properties[field.name] = _field_schema(cls, field.name, hints[field.name], definitions)
        if field.default is attrs.NOTHING:
            required.append(field.name)
    described = (cls.__doc__ or "").strip().splitlines()[:1]
    return {
        "type": "object",
        **({"description": described[0]} if described else {}),
        "properties": properties,
        "required": required,
        "additionalProperties": False,
    }


def _field_schema(cls: type, name: str, type_: Any, definitions: dict[str, object]) -> object:
    if (cls, name) == (_Document, "format"):
        return {"enum": list(READ_FORMATS), "description": "1 may not hold format 2's fields."}
    if (cls, name) == (Strategy, "issuer"):
        return {"type": "string", "description": "The id of one of the catalog's entities."}
    return _type_schema(type_, definitions)


def _type_schema(type_: Any, definitions: dict[str, object]) -> object:
    origin, args = typing.get_origin(type_), typing.get_args(type_)
    if type(None) in args:
        (present,) = (arg for arg in args if arg is not type(None))
        return {"anyOf": [_type_schema(present, definitions), {"type": "null"}]}
    if origin is tuple:
        return {"type": "array", "items": _type_schema(args[0], definitions)}
    if origin is dict:
        return {
            "type": "object",
            "propertyNames": _type_schema(args[0], definitions),
            "additionalProperties": _type_schema(args[1], definitions),
        }
    if _is_enum(type_):
        return {"enum": [member.value for member in type_]}
    if type_ is PartialDate:
        return {"type": "string", "pattern": f"^{_PARTIAL_DATE.pattern}$"}
    if type_ is datetime.date:
        return {"type": "string", "format": "date", "pattern": f"^{_DATE.pattern}$"}
    if attrs.has(type_):
        if type_.__name__ not in definitions:
            definitions[type_.__name__] = {}  # a placeholder, so that recursion ends
            definitions[type_.__name__] = _object_schema(type_, definitions)
        return {"$ref": f"#/$defs/{type_.__name__}"}
    return {str: {"type": "string"}, int: {"type": "integer"}}[type_]


_CONVERTER = _make_converter()


def __dir__() -> list[str]:
    return list(__all__)  # the public names only, not the imports and helpers
