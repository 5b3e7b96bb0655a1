#!/usr/bin/env python3
"""Copies the structure of ZEGOCLOUD's published server-API OpenAPI files into this repository.

Usage: upstream-snapshot.py <docs_all checkout or bare git dir> <out dir>

The copies keep every fact the generator and the tests read (paths, methods, parameters,
schemas, types, formats, ranges, enums, required-ness, defaults, examples, servers and
references, laid out as upstream so relative references resolve) and drop ZEGOCLOUD's prose:
a `description` or `summary` keeps only its call-frequency sentence (a fact the importer reads)
and is otherwise emptied, except that a `Code` property's description keeps the numbers of its
table of codes; contact details go. A page (`.mdx`) keeps only what the importer reads of it:
the numbers in the first column of its code tables, its lines stating a call frequency limit,
and an overview's rows linking an action's page to its limit. The commit copied is written to
<out dir>/SOURCE.
"""
import os
import re
import subprocess
import sys

import yaml

FOLDERS = [
    "core_products/real-time-voice-video/en/server/api-reference",
    "core_products/real-time-voice-video/zh/server/api-reference",
    "core_products/aiagent/en/server/api-reference",
    "core_products/aiagent/zh/server/api-reference",
    "core_products/zim/en/docs_zim_server",
    "core_products/zim/zh/docs_zim_server_zh",
    "extended_services/cloud_recording/en/server",
    "extended_services/cloud_recording/zh/server",
    "extended_services/cloud_player/en/server",
    "extended_services/cloud_player/zh/server",
    "extended_services/cloud-realtime-asr/en/server/api-reference",
    "extended_services/cloud-realtime-asr/zh/server/api-reference",
    "extended_services/super_board/en/server",
    "extended_services/super_board/zh/server",
    "extended_services/analytics_dashboard/zh/server",
    "snippets/common/en/openapi",
    "snippets/common/zh/openapi",
]
# Pages outside those folders that the facts files name (facts/<product>.yaml).
EXTRA_PAGES = [
    "core_products/aiagent/en/server/callbacks/exception-codes.mdx",
    "core_products/aiagent/zh/server/callbacks/exception-codes.mdx",
    "extended_services/cloud-realtime-asr/en/server/callbacks/exception-codes.mdx",
    "extended_services/cloud-realtime-asr/zh/server/callbacks/exception-codes.mdx",
    "extended_services/analytics_dashboard/en/server/return-codes.mdx",
]
RATE = re.compile(
    r"(times?|requests?|calls?|messages?)\s*/\s*(s\b|second|minute|day|\d*\s*seconds?)"
    r"|次\s*/\s*(\d*\s*)?[秒分天]|QPS",
    re.IGNORECASE,
)
MARKDOWN_FIRST_CELL = re.compile(r"^\s*\|([^|]*)\|")
# A first cell of numbers only: one, or several sharing a row (`3001、5000`, `5003, 40005`).
CODE_CELL = re.compile(r"^\s*\d+(\s*[、,，/]\s*\d+)*\s*$")
HTML_ROW = re.compile(r"<tr(.*?)(?=</tr|<tr|\Z)", re.IGNORECASE | re.DOTALL)
HTML_FIRST_CELL = re.compile(r"<td[^>]*>(.*?)</td", re.IGNORECASE | re.DOTALL)
LINKED_PAGE = re.compile(r"\]\((\./)?([^)/:][^):]*\.mdx)\)")
# Lines of a page the importer does not read for limits: the rendered schema, the encoded
# `api:` blob, and table rows (read as overview rows or code rows instead).
NOT_LIMIT_LINES = ("<div", "<details", "<MimeTabs", "api:", "|")
PROSE_KEYS = {"description", "summary"}


class Loader(yaml.SafeLoader):
    """YAML 1.2 reading of scalars: `2022-04-27 14:27:48` stays a string, as serde_yaml reads it."""


Loader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def git(repo, *args):
    return subprocess.run(["git", "-C", repo, *args], check=True, capture_output=True, text=True).stdout


def rate_sentences(text):
    lines = []
    for line in str(text).splitlines():
        if RATE.search(line):
            lines.append(re.sub(r"<[^>]+>", "", line).strip())
    return "\n".join(lines)


def code_rows(text):
    """The code numbers of a text's tables, each as a one-cell row of the table's kind."""
    rows = []
    for line in str(text).splitlines():
        match = MARKDOWN_FIRST_CELL.match(line)
        if match and CODE_CELL.match(match.group(1)):
            rows.append(f"| {match.group(1).strip()} |")
    for row in HTML_ROW.finditer(str(text)):
        cell = HTML_FIRST_CELL.search(row.group(1))
        if cell and CODE_CELL.match(cell.group(1)):
            rows.append(f"<tr><td>{cell.group(1).strip()}</td></tr>")
    return rows


def page_facts(text):
    """What the importer reads of a page: code rows, limit lines, overview rows."""
    kept = code_rows(text)
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("|"):
            cells = [cell.strip() for cell in stripped.strip("|").split("|")]
            links = [m.group(2) for cell in cells for m in [LINKED_PAGE.search(cell)] if m]
            limits = [cell for cell in cells if RATE.search(cell)]
            if links and limits:
                kept.append(f"| [](./{links[0]}) | {limits[0]} |")
        elif not stripped.startswith(NOT_LIMIT_LINES) and RATE.search(line):
            kept.append(stripped)
    return "\n".join(kept) + "\n"


def strip(node, parent_key=None):
    if isinstance(node, dict):
        out = {}
        is_operation = "responses" in node
        for key, value in node.items():
            if parent_key == "Code" and key == "description" and isinstance(value, str):
                out[key] = "\n".join(code_rows(value))
                continue
            if key in PROSE_KEYS and isinstance(value, str):
                # Emptied, not removed: OpenAPI requires a response's description. Only an
                # operation's own text states its call frequency limit.
                out[key] = rate_sentences(value) if is_operation else ""
                continue
            if key == "contact":
                continue
            out[key] = strip(value, key)
        return out
    if isinstance(node, list):
        return [strip(item, parent_key) for item in node]
    return node


def copy_page(source, name, out):
    kept = page_facts(git(source, "show", f"HEAD:{name}"))
    if not kept.strip():
        return
    target = os.path.join(out, name)
    os.makedirs(os.path.dirname(target), exist_ok=True)
    with open(target, "w", encoding="utf-8") as handle:
        handle.write(kept)


def main():
    source, out = sys.argv[1], sys.argv[2]
    commit = git(source, "rev-parse", "HEAD").strip()
    for folder in FOLDERS:
        names = git(source, "ls-tree", "-r", "--name-only", "HEAD", folder).splitlines()
        for name in names:
            if name.endswith(".mdx"):
                copy_page(source, name, out)
                continue
            if not name.endswith((".yaml", ".yml")):
                continue
            # A tab ending a line (ZIM's English shared file) stops PyYAML; it carries nothing.
            text = "\n".join(line.rstrip("\t") for line in git(source, "show", f"HEAD:{name}").split("\n"))
            document = yaml.load(text, Loader=Loader)
            target = os.path.join(out, name)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(target, "w", encoding="utf-8") as handle:
                yaml.safe_dump(strip(document), handle, sort_keys=False, allow_unicode=True, width=100)
    for name in EXTRA_PAGES:
        copy_page(source, name, out)
    with open(os.path.join(out, "SOURCE"), "w", encoding="utf-8") as handle:
        handle.write(
            "Structure of ZEGOCLOUD's published server-API OpenAPI files (prose removed), copied by\n"
            "scripts/upstream-snapshot.py from https://github.com/ZEGOCLOUD/docs_all\n"
            f"commit {commit}\n"
        )


if __name__ == "__main__":
    main()
