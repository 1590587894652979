#!/usr/bin/env python3
"""The reference a user would otherwise write: a small Python daemon that keeps
data/personas/<slug>/ in step with the persona table.

psycopg LISTEN on one connection, a second connection for fetches, PyYAML for
the identity file; one fetch and one atomic write (temp file + os.replace) per
notification. At start-up it creates what is missing for every active persona
and then sends READY=1 to $NOTIFY_SOCKET (so the benchmark can treat it like
`persona-registry serve`). Used by scripts/bench only.

    peer_daemon.py --database-url URL --data-dir TREE --templates-dir DIR
"""
import argparse
import json
import os
import socket
import tempfile

import psycopg
import yaml

FETCH = """
SELECT p.id, p.slug, p.name, r.name AS role, p.status, p.description,
       to_char(p.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS created_at
FROM persona p JOIN role r ON r.id = p.role_id
"""
HEADER = "# Managed by persona-registry from the persona table. Edit the database, not this file.\n"
SEEDS = ("skill.md", "experience.md")


def notify_systemd(message):
    path = os.environ.get("NOTIFY_SOCKET")
    if not path:
        return
    if path.startswith("@"):
        path = "\0" + path[1:]
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
        sock.sendto(message.encode(), path)


def render(template, row):
    return (template.replace("{{name}}", row[2]).replace("{{role}}", row[3])
            .replace("{{slug}}", row[1]))


def write_persona(tree, templates, row):
    persona_id, slug, name, role, status, description, created_at = row
    directory = os.path.join(tree, slug)
    if status != "active" and not os.path.isdir(directory):
        return
    os.makedirs(directory, exist_ok=True)
    for seed in SEEDS:
        if seed in templates:
            try:
                with open(os.path.join(directory, seed), "x") as file:
                    file.write(render(templates[seed], row))
            except FileExistsError:
                pass
    identity = {"id": persona_id, "slug": slug, "name": name, "role": role, "status": status,
                "description": description, "created_at": created_at}
    text = HEADER + yaml.safe_dump(identity, sort_keys=False, allow_unicode=True)
    fd, temp = tempfile.mkstemp(prefix=".identity.yaml.tmp-", dir=directory)
    with os.fdopen(fd, "w") as file:
        file.write(text)
    os.replace(temp, os.path.join(directory, "identity.yaml"))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--templates-dir", required=True)
    args = parser.parse_args()
    templates = {}
    for seed in SEEDS:
        try:
            with open(os.path.join(args.templates_dir, seed)) as file:
                templates[seed] = file.read()
        except FileNotFoundError:
            pass
    os.makedirs(args.data_dir, exist_ok=True)

    listener = psycopg.connect(args.database_url, autocommit=True)
    listener.execute("LISTEN persona_registry")
    db = psycopg.connect(args.database_url, autocommit=True)
    for row in db.execute(FETCH + " WHERE p.status = 'active'"):
        if not os.path.exists(os.path.join(args.data_dir, row[1], "identity.yaml")):
            write_persona(args.data_dir, templates, row)
    notify_systemd("READY=1")

    for note in listener.notifies():
        event = json.loads(note.payload)
        if event["op"] == "delete":
            continue
        if event["table"] == "persona":
            rows = db.execute(FETCH + " WHERE p.id = %s", (event["id"],))
        else:
            rows = db.execute(FETCH + " WHERE p.role_id = %s", (event["id"],))
        for row in rows:
            write_persona(args.data_dir, templates, row)


if __name__ == "__main__":
    main()
