#!/usr/bin/env python3
"""Renders protocol/README.md from protocol/methods.json (what each method does), protocol/schema/ (its
shapes, shown TypeScript-style) and protocol/examples/ (recorded exchanges): `python3 protocol/render_readme.py`."""
import json, os
HERE = os.path.dirname(os.path.abspath(__file__))
os.chdir(os.path.dirname(HERE))
methods = json.load(open("protocol/methods.json"))
def fname(m): return m.replace("/", "_").replace("$", "")
def ts(schema, indent=""):
    if not schema: return "any"
    if "enum" in schema: return " | ".join(json.dumps(v) for v in schema["enum"])
    t = schema.get("type")
    if isinstance(t, list):
        if set(t) == {"integer", "string"}: return "number | string"
        return " | ".join(ts({**schema, "type": x}, indent) for x in t)
    if t == "object":
        props = schema.get("properties", {})
        if not props: return "object"
        req = set(schema.get("required", []))
        lines = ["{"]
        for k, v in props.items():
            lines.append(f"{indent}  {k}{'' if k in req else '?'}: {ts(v, indent + '  ')};")
        lines.append(indent + "}")
        return "\n".join(lines)
    if t == "array": return f"{ts(schema.get('items', {}), indent)}[]" if schema.get("items") and schema["items"].get("type") != "object" else f"Array<{ts(schema.get('items', {}), indent)}>"
    return {"string": "string", "integer": "number", "number": "number", "boolean": "boolean", "null": "null"}.get(t, "any")
out = ["""# The rlmd protocol

`rlmd serve --stdio` speaks JSON-RPC 2.0 over stdin/stdout with the LSP base protocol's framing:
`Content-Length: N\\r\\n\\r\\n` then N bytes of UTF-8 JSON (other headers are tolerated). Editors start it
once per workspace. Only protocol bytes reach stdout; logs go to stderr and `$XDG_STATE_HOME/rlmd/rlmd.log`.

- Requests before `initialize` get -32002; after `shutdown`, -32600; unknown methods -32601; params of
  the wrong shape -32602 (the message names the field; params that are neither an object nor an array,
  for any method, name the method). Ids may be strings or integers from -2^63 to
  2^63-1, and are answered exactly as sent; any other id (a fraction, a larger integer) is refused with
  -32600 and `"id": null`, and an id still in use by a running request is refused (-32600). Batches (arrays) are refused (-32600) — send one message at a time.
- Bytes that are not a message are answered with -32700 (parse error) and `"id": null`, and the connection
  goes on with the next message: a bad header (no `Content-Length`, one that is not a length, a line without
  a colon, junk before a header), a body over 64 MiB (skipped unread), invalid JSON or invalid UTF-8.
- Each request runs on its own; several questions run at once and `rlm/status` answers while they do.
- Error codes: the JSON-RPC and LSP ones, and rlmd's: -32900 provider not configured, -32901 budget
  exhausted (reserved: budgets end in partial answers), -32902 index unavailable, -32903 sandbox
  unavailable, -32904 provider failed, -32905 unknown trajectory, -32906 conversation busy (a follow-up
  while a question of the same conversation runs); -32800 request cancelled.
- Stability: everything here is version 0.1 (`serverInfo.version`); fields may be added, none removed or
  renamed without a new version.

Each method below: direction, params and result (TypeScript-style; `?` marks optional fields), what it
does, its errors, and an exchange recorded from the real daemon (`protocol/examples/`, refreshed with
`python3 protocol/record_examples.py`; this file is rendered by `protocol/render_readme.py` from `protocol/methods.json`). JSON Schemas are in `protocol/schema/`; `Tests/DaemonTests/ProtocolSpecTests`
checks every example against them and against the Swift types in `Sources/RLMProtocol`, and fails when a
wire type gains, loses or renames a field the schema does not.

## Methods
"""]
out.append("| method | kind | direction |\n|---|---|---|")
for m, d in methods.items():
    out.append(f"| [`{m}`](#{m.replace('/', '').replace('$', '').lower()}) | {d['kind']} | {d['direction']} |")
for m, d in methods.items():
    out.append(f"\n### `{m}`\n\n{d['kind'].capitalize()}, {d['direction']}. {d['doc']}\n")
    p = f"protocol/schema/{fname(m)}.params.json"
    r = f"protocol/schema/{fname(m)}.result.json"
    ps = json.load(open(p)); ps.pop("$schema"); ps.pop("title")
    out.append("```ts\nparams: " + ts(ps) + "\n```")
    if os.path.exists(r):
        rs = json.load(open(r)); rs.pop("$schema"); rs.pop("title")
        out.append("```ts\nresult: " + ts(rs) + "\n```")
    if d.get("errors"): out.append(f"Errors: {d['errors']}\n")
    ex = json.load(open(f"protocol/examples/{fname(m)}.json"))
    out.append("Example:\n```json")
    for i, exchange in enumerate([ex] + ex.get("more", [])):
        if i: out.append("")
        out.append("// → " + json.dumps(exchange["message"]))
        if "reply" in exchange:
            reply = json.dumps(exchange["reply"])
            if len(reply) > 700: reply = reply[:700] + " …"
            out.append("// ← " + reply)
        notes = exchange.get("notifications", [])
        for n in (notes if len(notes) <= 3 else notes[:2] + notes[-1:]):
            out.append("// ← " + json.dumps(n))
    out.append("```")
open("protocol/README.md", "w").write("\n".join(out) + "\n")
