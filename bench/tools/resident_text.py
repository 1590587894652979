"""Which parts of a running program's own file are resident: every page of its mappings of the
executable, present or not (/proc/PID/pagemap, root), attributed to the symbols it holds
(nm --size-sort), grouped by who they belong to (FoundationEssentials, ArgumentParser,
swift-log, our targets, the Swift runtime and standard library, C/C++). Used for
bench/RESULTS.md (issue 23).

    python3 bench/tools/resident_text.py PID
"""
import collections
import os
import re
import struct
import subprocess
import sys

PAGE = os.sysconf("SC_PAGE_SIZE")


def owner(name):
    for pattern, label in [(r"FoundationEssentials", "FoundationEssentials"), (r"ArgumentParser", "ArgumentParser"),
                           (r"_StringProcessing|_RegexParser", "_StringProcessing/_RegexParser"),
                           (r"7Logging", "swift-log"),
                           (r"Registry|persona_registry|13persona_registry|PersonaRegistry", "ours (Registry* targets, commands)"),
                           (r"^\$s|^_\$s|^swift_|^_swift|swift::|^\$S", "Swift runtime/stdlib")]:
        if re.search(pattern, name):
            return label
    return "C/C++ (runtime support, libc stubs) or unnamed"


def main():
    pid = int(sys.argv[1])
    exe = os.path.realpath(f"/proc/{pid}/exe")
    symbols = []
    for line in subprocess.run(["nm", "-S", "--defined-only", exe], capture_output=True, text=True).stdout.splitlines():
        parts = line.split()
        if len(parts) == 4:
            symbols.append((int(parts[0], 16), int(parts[1], 16), parts[3]))
    symbols.sort()
    load_bias = None
    pages = []  # (virtual address, file offset, perms)
    for line in open(f"/proc/{pid}/maps"):
        fields = line.split()
        if len(fields) >= 6 and fields[5] == exe:
            start, end = (int(x, 16) for x in fields[0].split("-"))
            offset = int(fields[2], 16)
            if load_bias is None:
                load_bias = start - offset
            for address in range(start, end, PAGE):
                pages.append((address, fields[1]))
    resident = collections.Counter()
    mapped = collections.Counter()
    with open(f"/proc/{pid}/pagemap", "rb") as pagemap:
        index = 0
        for address, perms in pages:
            pagemap.seek(address // PAGE * 8)
            present = struct.unpack("<Q", pagemap.read(8))[0] >> 63
            # the symbols overlapping this page, by bytes
            low, high = address - load_bias, address - load_bias + PAGE
            while index < len(symbols) and symbols[index][0] + symbols[index][1] <= low:
                index += 1
            shares = collections.Counter()
            j = index
            while j < len(symbols) and symbols[j][0] < high:
                s, size, name = symbols[j]
                overlap = min(high, s + size) - max(low, s)
                if overlap > 0:
                    shares[owner(name)] += overlap
                j += 1
            label = shares.most_common(1)[0][0] if shares else "no symbol (metadata, eh_frame, relocations, ...)"
            mapped[(perms, label)] += PAGE
            if present:
                resident[(perms, label)] += PAGE
    print(f"{'mapping':6s} {'resident kB':>11s} {'of mapped kB':>12s}  owner of most bytes in the page")
    for key, size in sorted(mapped.items(), key=lambda kv: -resident[kv[0]]):
        print(f"{key[0]:6s} {resident[key] // 1024:11d} {size // 1024:12d}  {key[1]}")
    print(f"total  {sum(resident.values()) // 1024:11d} {sum(mapped.values()) // 1024:12d}")


if __name__ == "__main__":
    main()
