"""Every input record appears once in the documents table; broken ones say what is wrong."""

from __future__ import annotations

import csv
import json

import pytest

from pipeline.io.documents import InputError, load_documents


def rows_by_id(dataset):
    return {row["doc_id"]: row for row in dataset}


def test_folder_of_txt_uses_file_stems_and_keeps_text_exactly(tmp_path):
    (tmp_path / "b.txt").write_text("Second “story”.\r\nLine two.", encoding="utf-8", newline="")
    (tmp_path / "a.txt").write_text("First story.", encoding="utf-8")
    (tmp_path / "notes.md").write_text("ignored")
    docs = load_documents(tmp_path)
    assert docs["doc_id"] == ["a", "b"]
    assert docs[1]["text"] == "Second “story”.\r\nLine two."
    assert set(docs["status"]) == {"ok"}


def test_jsonl_bad_records_are_marked_and_good_ones_kept(tmp_path):
    path = tmp_path / "news.jsonl"
    lines = [
        json.dumps({"id": "good", "text": "He said “yes”.", "targets": ["taxes"], "outlet": "Daily"}),
        json.dumps({"id": "empty", "text": "   "}),
        json.dumps({"id": "no-text", "title": "x"}),
        json.dumps({"id": "number", "text": 42}),
        '{"id": "broken", "text": ',
        json.dumps({"id": "good", "text": "A second record with the same id."}),
        json.dumps({"id": "bad-targets", "text": "Some text.", "targets": "taxes"}),
    ]
    path.write_bytes(("\n".join(lines) + "\n").encode() + b'{"id": "latin", "text": "caf\xe9"}\n')
    docs = load_documents(path)
    assert len(docs) == 8
    by_status = [(r["doc_id"], r["status"]) for r in docs]
    assert by_status[0] == ("good", "ok")
    assert [s for _, s in by_status[1:]] == ["error"] * 7
    errors = [r["error"] for r in docs]
    assert errors[1] == "text is empty"
    assert errors[2] == "record has no 'text' field"
    assert errors[3] == "'text' must be a string, got int"
    assert errors[4].startswith("invalid JSON on line 5")
    assert docs[4]["doc_id"] == "news:5"
    assert errors[5].startswith("duplicate id 'good'")
    assert "targets" in errors[6]
    assert "UTF-8" in errors[7]
    assert json.loads(docs[0]["meta"]) == {"outlet": "Daily"}
    assert docs[0]["targets"] == ["taxes"]


def test_invalid_utf8_txt_is_an_error_row(tmp_path):
    (tmp_path / "bad.txt").write_bytes(b"Minister said \xff\xfe nothing.")
    (tmp_path / "good.txt").write_text("Fine.", encoding="utf-8")
    docs = rows_by_id(load_documents(tmp_path))
    assert docs["bad"]["status"] == "error" and "UTF-8" in docs["bad"]["error"]
    assert docs["good"]["status"] == "ok"


def test_parquet_csv_and_saved_dataset(tmp_path):
    from datasets import Dataset

    table = Dataset.from_list([{"id": "p1", "text": "One.", "targets": ["x"]}, {"id": "p2", "text": "Two."}])
    table.to_parquet(str(tmp_path / "in.parquet"))
    table.save_to_disk(str(tmp_path / "saved"))
    (tmp_path / "in.csv").write_text('id,text,targets\nc1,"Hello, world.",a; b\n', encoding="utf-8")
    for path in (tmp_path / "in.parquet", tmp_path / "saved"):
        docs = load_documents(path)
        assert docs["doc_id"] == ["p1", "p2"] and docs["targets"][0] == ["x"]
    csv_docs = load_documents(tmp_path / "in.csv")
    assert csv_docs[0]["text"] == "Hello, world." and csv_docs[0]["targets"] == ["a", "b"]


def test_missing_path_and_unknown_format_fail_before_work(tmp_path):
    with pytest.raises(InputError, match="does not exist"):
        load_documents(tmp_path / "nope.jsonl")
    (tmp_path / "doc.docx").write_text("x")
    with pytest.raises(InputError, match="unknown format '.docx'"):
        load_documents(tmp_path / "doc.docx")


# Input edge cases found on real feeds (issue 12): each keeps one row per record.

def test_byte_order_mark_at_the_start_of_csv_and_jsonl_is_not_part_of_the_first_field(tmp_path):
    (tmp_path / "in.csv").write_bytes("\ufeffid,text\nc1,Hello.\n".encode("utf-8"))
    (tmp_path / "in.jsonl").write_bytes("\ufeff".encode("utf-8") + b'{"id": "j1", "text": "Hi."}\n')
    csv_docs = load_documents(tmp_path / "in.csv")
    assert csv_docs[0]["doc_id"] == "c1" and csv_docs[0]["status"] == "ok" and csv_docs[0]["meta"] == "{}"
    jsonl_docs = load_documents(tmp_path / "in.jsonl")
    assert jsonl_docs[0]["doc_id"] == "j1" and jsonl_docs[0]["status"] == "ok"


def test_csv_cells_with_unicode_line_separators_and_form_feeds_stay_in_their_cell(tmp_path):
    texts = ["Page one.\fPage two.", "A line\u2028and the next.", "Old mainframe\u0085newline.",
             "Para one.\u2029Para two.", "Windows\r\nline."]
    path = tmp_path / "in.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "text"])
        writer.writerows([f"c{i}", text] for i, text in enumerate(texts))
    with open(tmp_path / "unquoted.csv", "w", encoding="utf-8", newline="") as handle:
        handle.write("id,text\nu1,Form\ffeed and\u2028separator\u0085here.\n")
    docs = load_documents(path)
    assert docs["doc_id"] == [f"c{i}" for i in range(len(texts))]
    assert docs["text"] == texts and set(docs["status"]) == {"ok"}
    unquoted = load_documents(tmp_path / "unquoted.csv")
    assert unquoted["text"] == ["Form\ffeed and\u2028separator\u0085here."]


def test_csv_cell_longer_than_the_csv_module_field_limit_is_read_whole(tmp_path):
    long_text = "word " * (csv.field_size_limit() // 5 + 1000)
    path = tmp_path / "in.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([["id", "text"], ["long", long_text], ["short", "Fine."]])
    limit = csv.field_size_limit()
    docs = load_documents(path)
    assert docs["doc_id"] == ["long", "short"] and set(docs["status"]) == {"ok"}
    assert docs[0]["text"] == long_text
    assert csv.field_size_limit() == limit  # the process-wide limit is left as it was


def test_csv_row_with_more_fields_than_the_header_is_an_error_row(tmp_path):
    (tmp_path / "in.csv").write_text(
        "id,text,outlet\nc1,Fine.,Daily\nc2,He said yes, then no.,Daily\nc3,Also fine.,Weekly\n", encoding="utf-8")
    docs = load_documents(tmp_path / "in.csv")
    assert docs["doc_id"] == ["c1", "c2", "c3"]
    assert docs["status"] == ["ok", "error", "ok"]
    assert "4 fields" in docs[1]["error"] and "3" in docs[1]["error"]
    assert json.loads(docs[0]["meta"]) == {"outlet": "Daily"}


def test_lone_surrogate_escapes_in_jsonl_are_error_rows(tmp_path):
    lines = [
        '{"id": "bad-text", "text": "Broken \\ud800 emoji."}',
        '{"id": "pair", "text": "A real pair \\ud83d\\ude00 is fine."}',
        '{"id": "bad-meta", "text": "Fine text.", "outlet": "\\udc80"}',
        '{"id": "bad-target", "text": "Fine text.", "targets": ["\\udfff"]}',
        '{"id": "\\ud800", "text": "Bad id."}',
    ]
    (tmp_path / "in.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    docs = load_documents(tmp_path / "in.jsonl")
    assert len(docs) == 5
    assert docs["status"] == ["error", "ok", "error", "error", "error"]
    assert docs[1]["text"] == "A real pair \U0001F600 is fine."
    assert all("surrogate" in docs[i]["error"] for i in (0, 2, 3, 4))
    assert docs[4]["doc_id"] == "in:5"
