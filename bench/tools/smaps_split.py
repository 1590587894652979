"""Resident memory of a process by mapping (from a copy of /proc/PID/smaps): each file's
resident kB by permission (r-xp text, r--p read-only data, rw-p data), the heap and the other
anonymous mappings. Used for bench/RESULTS.md (issue 23).

    python3 bench/tools/smaps_split.py SMAPS [SMAPS ...]
"""
import collections
import sys

for path in sys.argv[1:]:
    resident = collections.Counter()
    name = None
    for line in open(path):
        fields = line.split()
        if "-" in fields[0] and not fields[0].endswith(":") and len(fields) >= 5:
            name = ((fields[5] if len(fields) > 5 else "[anonymous]").rsplit("/", 1)[-1], fields[1])
        elif fields[0] == "Rss:":
            resident[name] += int(fields[1])
    by_file = collections.Counter()
    for (file, _), kb in resident.items():
        by_file[file] += kb
    print(f"== {path}: Rss {sum(by_file.values())} kB")
    for file, kb in by_file.most_common():
        if kb == 0:
            continue
        detail = ", ".join(f"{perm} {resident[(f, perm)]}" for (f, perm) in sorted(resident) if f == file and resident[(f, perm)])
        print(f"{kb:7d} kB  {file:28s} {detail}")
