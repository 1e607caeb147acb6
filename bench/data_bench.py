#!/usr/bin/env python3
"""Plain-Python (stdlib json) validation of a supervised chat JSONL, for comparison with the Java validator.

Runs the same checks as dev.finetune4j.data.DatasetValidator for supervised files, without token counting:
UTF-8, invalid JSON, wrong top-level type, unknown top-level keys, missing/empty messages, message type, missing role,
role type, unknown or disallowed role, unknown message keys, content type and emptiness (blank trained answers too), content parts, weight,
tool calls (function, name, JSON arguments) and the tool messages that answer them, tools/parallel_tool_calls/functions
types, tool names, no assistant message, all-zero weights, blank lines,
keys repeated in one object (json's object_pairs_hook, the standard library's way to see them), duplicates (a hash
per stripped line) and the minimum example count.

usage: data_bench.py FILE [--no-duplicate-keys]   -> prints counts per category, "python_mbps=..." and
"python_cpu_mbps=..."; --no-duplicate-keys leaves out the repeated-key check (json keeps the last value silently)
"""
import json
import sys
import time
from collections import Counter

ALL_ROLES = {"system", "developer", "user", "assistant", "tool", "function"}
ALLOWED = {"system", "user", "assistant", "tool", "function"}
KEYS = {
    "system": {"role", "content", "name"},
    "developer": {"role", "content", "name"},
    "user": {"role", "content", "name"},
    "assistant": {"role", "content", "name", "weight", "tool_calls", "function_call", "refusal"},
    "tool": {"role", "content", "tool_call_id"},
    "function": {"role", "content", "name"},
}
TOP = {"messages", "tools", "parallel_tool_calls", "functions"}


class DuplicateKey(ValueError):
    """A key twice in one object: readers disagree on which value counts."""


def unique_keys(pairs):
    d = dict(pairs)
    if len(d) != len(pairs):
        raise DuplicateKey()
    return d


def check_content(m, role, problems):
    c = m.get("content")
    if c is not None and not isinstance(c, (str, list)):
        problems["invalid_type"] += 1
        return
    if isinstance(c, list):
        for part in c:
            if not isinstance(part, dict):
                problems["invalid_type"] += 1
                return
            t = part.get("type")
            if t == "text":
                if not isinstance(part.get("text"), str):
                    problems["invalid_type"] += 1
                    return
            elif t == "image_url":
                image = part.get("image_url")
                if not isinstance(image, dict) or not isinstance(image.get("url"), str) or not image["url"]:
                    problems["invalid_type"] += 1
                    return
            else:
                problems["invalid_type"] += 1
                return
        if role != "user" and role in ALL_ROLES and any(p.get("type") == "image_url" for p in c):
            problems["invalid_type"] += 1  # images in user messages only
            return
        if any(p.get("type") == "text" and p["text"] == "" for p in c):
            problems["missing_content"] += 1
            return
    if not c:
        if role == "assistant" and (m.get("tool_calls") or m.get("function_call") is not None):
            return
        problems["missing_content"] += 1
    elif (role == "assistant" and isinstance(c, str) and m.get("weight") != 0 and m.get("tool_calls") is None
          and m.get("function_call") is None and c.strip(" \t\n\r") == ""):
        problems["missing_content"] += 1  # a trained answer of blanks


def check_tool_calls(calls, ids, problems):
    for call in calls:
        if not isinstance(call, dict):
            problems["invalid_type"] += 1
            continue
        if isinstance(call.get("id"), str):
            ids.add(call["id"])
        f = call.get("function")
        if not isinstance(f, dict):
            problems["bad_tool_call"] += 1
            continue
        name = f.get("name")
        if not isinstance(name, str) or not name.strip():
            problems["bad_tool_call"] += 1
        args = f.get("arguments")
        if not isinstance(args, str):
            problems["bad_tool_call"] += 1
        else:
            try:
                json.loads(args)
            except ValueError:
                problems["bad_tool_call"] += 1


def check(ex, problems):
    for k in ex:
        if k not in TOP:
            problems["unknown_key"] += 1
    msgs = ex.get("messages")
    if msgs is None:
        problems["missing_messages"] += 1
        return
    if not isinstance(msgs, list):
        problems["invalid_type"] += 1
        return
    if not msgs:
        problems["missing_messages"] += 1
        return
    assistant = trained = False
    call_ids = set()
    for m in msgs:
        if not isinstance(m, dict):
            problems["invalid_type"] += 1
            continue
        role = m.get("role")
        if "role" not in m:
            problems["missing_role"] += 1
        elif not isinstance(role, str):
            problems["invalid_type"] += 1
        elif role not in ALL_ROLES:
            problems["unknown_role"] += 1
        elif role not in ALLOWED:
            problems["role_not_allowed"] += 1
        keys = KEYS.get(role) if isinstance(role, str) else None
        if keys is not None:
            for k in m:
                if k not in keys and k != "weight":
                    problems["unknown_key"] += 1
        check_content(m, role, problems)
        if "weight" in m:
            w = m["weight"]
            if role != "assistant" or type(w) is not int or w not in (0, 1):
                problems["bad_weight"] += 1
        tc = m.get("tool_calls")
        if tc is not None and not isinstance(tc, list):
            problems["invalid_type"] += 1
        elif tc:
            check_tool_calls(tc, call_ids, problems)
        if role == "tool":
            i = m.get("tool_call_id")
            if i is None:
                problems["invalid_type" if "tool_call_id" in m else "bad_tool_call"] += 1
            elif not isinstance(i, str):
                problems["invalid_type"] += 1
            elif i not in call_ids:
                problems["bad_tool_call"] += 1
        if role == "assistant":
            assistant = True
            trained = trained or m.get("weight") != 0
    if not assistant:
        problems["no_assistant_message"] += 1
    elif not trained:
        problems["bad_weight"] += 1
    t = ex.get("tools")
    if t is not None and not isinstance(t, list):
        problems["invalid_type"] += 1
    elif t:
        for tool in t:
            f = tool.get("function") if isinstance(tool, dict) else None
            if isinstance(f, dict) and not isinstance(f.get("name"), str):
                problems["bad_tool_call"] += 1
    p = ex.get("parallel_tool_calls")
    if p is not None and not isinstance(p, bool):
        problems["invalid_type"] += 1
    f = ex.get("functions")
    if f is not None and not isinstance(f, list):
        problems["invalid_type"] += 1


def main(path, duplicate_keys=True):
    # one decoder for the whole file: json.loads given a hook builds a new decoder for every line
    decode = json.JSONDecoder(object_pairs_hook=unique_keys if duplicate_keys else None).decode
    problems = Counter()
    seen = set()
    examples = non_blank = 0
    size = 0
    start = time.perf_counter()
    cpu_start = time.process_time()
    with open(path, "rb", buffering=1 << 20) as f:
        for raw in f:
            size += len(raw)
            line = raw.strip()
            if not line:
                problems["blank_line"] += 1
                continue
            non_blank += 1
            try:
                # strict UTF-8, as the validator reads; a byte-order mark only at the start of the file
                ex = decode(line.decode("utf-8-sig" if non_blank == 1 else "utf-8"))
            except DuplicateKey:
                problems["duplicate_key"] += 1
                continue
            except UnicodeDecodeError:
                problems["bad_encoding"] += 1
                continue
            except ValueError:
                problems["invalid_json"] += 1
                continue
            if not isinstance(ex, dict):
                problems["wrong_top_level_type"] += 1
                continue
            examples += 1
            check(ex, problems)
            h = hash(line)
            if h in seen:
                problems["duplicate_example"] += 1
            else:
                seen.add(h)
    if non_blank == 0:
        problems["empty_file"] += 1
    elif examples < 10:
        problems["too_few_examples"] += 1
    elapsed = time.perf_counter() - start
    cpu = time.process_time() - cpu_start
    mbps = size / 1e6 / elapsed
    print(f"python, stdlib json{'' if duplicate_keys else ', no repeated-key check'}: {size:,} bytes, {examples:,} examples, {elapsed * 1000:,.0f} ms, {cpu * 1000:,.0f} ms CPU -> {mbps:.1f} MB/s "
          f"(problems: {dict(problems) or 'none'})")
    print(f"python_mbps={mbps:.1f}")
    print(f"python_cpu_mbps={size / 1e6 / cpu:.1f}")


if __name__ == "__main__":
    main(sys.argv[1], "--no-duplicate-keys" not in sys.argv[2:])
