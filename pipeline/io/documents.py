"""Load input documents into one table, one row per input record, broken records included.

Reads a .txt file, a folder of .txt files (doc_id = file stem), .jsonl, .csv, .parquet, or a
folder written by ``datasets.save_to_disk``.  Records need ``id`` (or ``doc_id``) and ``text``;
an optional ``targets`` list; other fields are kept as JSON in ``meta``.

A record that cannot be used (invalid JSON, invalid UTF-8, a lone surrogate escape such as
``"\\ud800"``, no or non-string or empty text, duplicate id, bad targets, a CSV row with more
fields than its header) becomes a row with ``status="error"`` and a message a person
understands; it never stops the run.  A byte-order mark at the start of a file is dropped; CSV
rows end only at ``\\n``/``\\r`` (a cell may hold U+2028, U+0085 or a form feed) and a cell may
be of any length.  Problems with the input as a whole (the path does not
exist, the format is unknown) raise :class:`InputError` before any work starts.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import logging
import sys
from pathlib import Path
from typing import Any, Iterator

from datasets import Dataset, Features, Sequence, Value, load_from_disk

from pipeline.io.targets import as_target

log = logging.getLogger(__name__)

FORMATS = (".txt", ".jsonl", ".csv", ".parquet")

DOCUMENT_FEATURES = Features(
    {
        "doc_id": Value("string"),
        "text": Value("string"),
        "targets": Sequence(Value("string")),  # target names
        "target_aliases": Sequence(Sequence(Value("string"))),  # each target's aliases, in order
        "status": Value("string"),
        "error": Value("string"),
        "source": Value("string"),  # file (and line) the record came from
        "meta": Value("string"),  # other input fields, as JSON
    }
)


class InputError(ValueError):
    """The input as a whole is unusable; raised before any work starts."""


def _row(doc_id: str, text: Any, source: str, targets: Any = None, meta: dict | None = None,
         error: str | None = None, fallback_id: str | None = None) -> dict:
    if error is None:
        error = _check_record(text, targets) or _check_encodable(doc_id, text, targets, meta)
    if fallback_id is not None and _lone_surrogate(str(doc_id)) is not None:
        doc_id = fallback_id  # an id that cannot be stored is replaced by the record's position
    ok = error is None
    parsed = [as_target(t) for t in targets or []] if ok else []
    return {
        "doc_id": str(doc_id),
        "text": text if ok else "",
        "targets": [t.name for t in parsed],
        "target_aliases": [list(t.aliases) for t in parsed],
        "status": "ok" if ok else "error",
        "error": error,
        "source": source,
        "meta": _meta_json(meta),
    }


def _meta_json(meta: dict | None) -> str:
    text = json.dumps(meta or {}, ensure_ascii=False, default=str, sort_keys=True)
    if _lone_surrogate(text) is not None:  # Arrow cannot store it; the row is an error row then
        text = json.dumps(meta or {}, ensure_ascii=True, default=str, sort_keys=True)
    return text


def _lone_surrogate(value: str) -> int | None:
    """Index of the first lone surrogate in ``value`` (what JSON ``"\\ud800"`` decodes to)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        return exc.start
    return None


def _check_encodable(doc_id: Any, text: str, targets: Any, meta: dict | None) -> str | None:
    """Strings that cannot be written as UTF-8 (lone surrogates) make the record an error."""
    fields = [("id", str(doc_id)), ("text", text)]
    fields += [("targets", t if isinstance(t, str) else json.dumps(t, ensure_ascii=False)) for t in targets or []]
    fields += [(f"field {key!r}", json.dumps(value, ensure_ascii=False, default=str))
               for key, value in (meta or {}).items()]
    for name, value in fields:
        where = _lone_surrogate(value)
        if where is not None:
            return (f"{name} holds a lone surrogate escape ({value[where]!a} at character {where}), "
                    "which is not valid Unicode; fix the producer of this file")
    return None


def _check_record(text: Any, targets: Any) -> str | None:
    if text is None:
        return "record has no 'text' field"
    if not isinstance(text, str):
        return f"'text' must be a string, got {type(text).__name__}"
    if not text.strip():
        return "text is empty"
    if targets is not None:
        if not isinstance(targets, (list, tuple)):
            return "'targets' must be a list of non-empty strings or {\"name\", \"aliases\"} objects"
        for target in targets:
            try:
                as_target(target)
            except ValueError as exc:
                return f"'targets': {exc}"
    return None


def _decode(data: bytes, strip_bom: bool = False) -> tuple[str | None, str | None]:
    # A byte-order mark is not part of the text anyone wants offsets into, nor of a field name.
    if strip_bom and data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        return None, f"not valid UTF-8 (byte {exc.start}); re-save the file as UTF-8"


def _read_txt(path: Path) -> Iterator[dict]:
    text, error = _decode(path.read_bytes(), strip_bom=True)
    yield _row(path.stem, text, str(path), error=error)


def record_row(record: Any, fallback_id: str, source: str, error: str | None = None) -> dict:
    """One record (a JSONL line, a CSV or Parquet row, a dict in Python) -> its documents row:
    ``id`` (or ``doc_id``, else ``fallback_id``), ``text``, ``targets``, other fields as ``meta``,
    and ``status``/``error`` from the same checks for every input format."""
    if not isinstance(record, dict):
        return _row(fallback_id, None, source, error=f"expected a JSON object, got {type(record).__name__}")
    record = dict(record)
    doc_id = record.pop("id", None)
    if doc_id is None:
        doc_id = record.pop("doc_id", None)
    doc_id = fallback_id if doc_id is None or doc_id == "" else doc_id
    text = record.pop("text", None)
    targets = record.pop("targets", None)
    return _row(doc_id, text, source, targets=targets, meta=record, error=error, fallback_id=fallback_id)


def _read_jsonl(path: Path) -> Iterator[dict]:
    with open(path, "rb") as handle:
        for number, raw in enumerate(handle, start=1):
            source = f"{path}:{number}"
            fallback_id = f"{path.stem}:{number}"
            if not raw.strip():
                continue
            line, error = _decode(raw, strip_bom=number == 1)
            if error:
                yield _row(fallback_id, None, source, error=error)
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                yield _row(fallback_id, None, source, error=f"invalid JSON on line {number}: {exc.msg}")
                continue
            yield record_row(record, fallback_id, source)


def _parse_targets(value: Any) -> Any:
    """CSV cells hold targets as a JSON list or as ``a; b; c``."""
    if not isinstance(value, str) or not value.strip():
        return None
    if value.lstrip().startswith("["):
        try:
            return json.loads(value)
        except json.JSONDecodeError:
            return value  # rejected by the record check with a clear message
    return [t.strip() for t in value.split(";") if t.strip()]


@contextlib.contextmanager
def _csv_field_limit(limit: int) -> Iterator[None]:
    """Raise the csv module's process-wide field limit (128 KiB) while one file is read."""
    previous = csv.field_size_limit()
    try:
        csv.field_size_limit(limit)
        yield
    finally:
        csv.field_size_limit(previous)


def _read_csv(path: Path) -> Iterator[dict]:
    data = path.read_bytes()
    text, error = _decode(data, strip_bom=True)
    if error:
        raise InputError(f"{path}: {error}")
    # A StringIO with newline="" ends rows only at \n, \r\n and \r (str.splitlines would also
    # end them at U+2028, U+0085, form feeds, ... inside cells); no cell is longer than the file.
    with _csv_field_limit(min(max(len(data), 131072), sys.maxsize // 2)):
        reader = csv.DictReader(io.StringIO(text, newline=""), restkey=_EXTRA)
        header = len(reader.fieldnames or ())
        rows, number = [], 1
        while True:
            number += 1
            try:
                record = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:  # a malformed row is that row's error, not the file's
                rows.append(_row(f"{path.stem}:{number}", None, f"{path}:{number}", error=f"malformed CSV row: {exc}"))
                continue
            error = None
            extra = record.pop(_EXTRA, None)
            if extra is not None:  # most often a cell with a comma that was not quoted
                error = (f"row has {header + len(extra)} fields but the header names {header}; "
                         "quote cells that hold commas")
            if "targets" in record:
                record["targets"] = _parse_targets(record["targets"])
            rows.append(record_row(record, f"{path.stem}:{number}", f"{path}:{number}", error=error))
    yield from rows


_EXTRA = "\x00extra"  # DictReader's key for fields past the header (its default, None, breaks meta)


def _read_table(table: Any, source: str, stem: str) -> Iterator[dict]:
    for number, record in enumerate(table, start=1):
        yield record_row(record, f"{stem}:{number}", f"{source}:{number}")


def _read_parquet(path: Path) -> Iterator[dict]:
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(path)
    except Exception as exc:  # pyarrow raises several types for a corrupt file
        raise InputError(f"{path}: cannot read Parquet ({exc})") from exc
    yield from _read_table(table.to_pylist(), str(path), path.stem)


def _records(path: Path) -> Iterator[dict]:
    if path.is_dir():
        if (path / "dataset_info.json").exists() or (path / "state.json").exists():
            yield from _read_table(load_from_disk(str(path)), str(path), path.name)
            return
        files = sorted(p for p in path.iterdir() if p.suffix == ".txt" and p.is_file())
        if not files:
            raise InputError(f"input_path {str(path)!r} is a folder with no .txt files")
        for file in files:
            yield from _read_txt(file)
        return
    readers = {".txt": _read_txt, ".jsonl": _read_jsonl, ".csv": _read_csv, ".parquet": _read_parquet}
    reader = readers.get(path.suffix.lower())
    if reader is None:
        raise InputError(
            f"input_path {str(path)!r}: unknown format {path.suffix or '(no extension)'!r}; "
            f"expected a folder or one of {', '.join(FORMATS)}"
        )
    yield from reader(path)


def _mark_duplicates(rows: list[dict]) -> None:
    first_seen: dict[str, str] = {}
    for row in rows:
        if row["doc_id"] in first_seen:
            row.update(status="error", text="", targets=[], target_aliases=[],
                       error=f"duplicate id {row['doc_id']!r} (first used at {first_seen[row['doc_id']]}); "
                             "this record was skipped")
        else:
            first_seen[row["doc_id"]] = row["source"]


def check_input_path(path: str | Path) -> Path:
    """Fail fast, with one line naming the problem, if ``path`` cannot be read at all."""
    path = Path(path)
    if not path.exists():
        raise InputError(f"input_path {str(path)!r} does not exist")
    if path.is_file() and path.suffix.lower() not in FORMATS:
        raise InputError(
            f"input_path {str(path)!r}: unknown format {path.suffix or '(no extension)'!r}; "
            f"expected a folder or one of {', '.join(FORMATS)}"
        )
    return path


def load_documents(path: str | Path) -> Dataset:
    """Read every record under ``path`` into the documents table (see module docstring)."""
    path = check_input_path(path)
    rows = list(_records(path))
    _mark_duplicates(rows)
    errors = sum(row["status"] == "error" for row in rows)
    log.info("read %d documents from %s (%d with errors)", len(rows), path, errors)
    if not rows:  # from_list([]) loses the columns; an empty input keeps the schema
        return Dataset.from_dict({name: [] for name in DOCUMENT_FEATURES}, features=DOCUMENT_FEATURES)
    return Dataset.from_list(rows, features=DOCUMENT_FEATURES)
