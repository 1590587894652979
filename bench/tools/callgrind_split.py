"""Exclusive instructions (Ir) of a callgrind profile split by shared object, and the main
binary's split into logging, our code, FoundationEssentials and the Swift runtime/stdlib by
function name; calls to the allocator; with --calls PATTERN, calls per persona of the
functions whose (mangled) name matches. Used for bench/RESULTS.md (issue 23).

    python3 bench/tools/callgrind_split.py callgrind.out PERSONAS [--calls REGEX]
"""
import collections
import re
import sys


def parse(path):
    names = {"ob": {}, "fn": {}, "fl": {}}
    ob = fn = cob = cfn = None
    exclusive = collections.Counter()   # (object, function) -> Ir
    calls = collections.Counter()       # (object, function) called -> count
    skip_next = False

    def name(kind, rest):
        match = re.match(r"\((\d+)\)(?: (.*))?", rest)
        if not match:
            return rest
        if match.group(2) is not None:
            names[kind][match.group(1)] = match.group(2)
        return names[kind].get(match.group(1), "?")

    for line in open(path, errors="replace"):
        line = line.rstrip("\n")
        if not line:
            continue
        if line.startswith("ob="):
            ob = name("ob", line[3:])
        elif line.startswith("fn="):
            fn = name("fn", line[3:])
            cob = None
        elif line.startswith(("fl=", "fi=", "fe=")):
            name("fl", line[3:])
        elif line.startswith("cob="):
            cob = name("ob", line[4:])
        elif line.startswith("cfn="):
            cfn = name("fn", line[4:])
        elif line.startswith(("cfl=", "cfi=")):
            name("fl", line[4:])
        elif line.startswith("calls="):
            calls[(cob or ob, cfn)] += int(line[6:].split()[0])
            skip_next = True   # the next cost line is the call's inclusive cost
            cob = None
        elif line[0] in "0123456789+-*":
            parts = line.split()
            if skip_next:
                skip_next = False
            elif len(parts) >= 2:
                exclusive[(ob, fn)] += int(parts[1])
    return exclusive, calls


def category(ob, fn):
    library = ob.rsplit("/", 1)[-1]
    if "persona-registry" not in library and "bench-floor" not in library:
        return library
    if re.search(r"7Logging|StderrLogHandler|LogLine|DaemonEvent|Escaping", fn):
        return "logging (swift-log, StderrLogHandler, LogLine)"
    if re.search(r"Registry|persona_registry|SyncOutcome|TreeSynchronizer|WatchedTree|TreeWatcher|OwnChanges"
                 r"|StatusPublisher|Daemon|DatabaseSide|DatabaseLink|StepReporter", fn):
        return "ours (Registry*, Daemon*)"
    if "FoundationEssentials" in fn:
        return "FoundationEssentials"
    if fn.startswith(("swift_", "_swift", "$s")) or "swift::" in fn or "Swift" in fn:
        return "Swift runtime/stdlib"
    return "main binary, other"


def main():
    path, personas = sys.argv[1], int(sys.argv[2])
    exclusive, calls = parse(path)
    total = sum(exclusive.values())
    split = collections.Counter()
    for (ob, fn), cost in exclusive.items():
        split[category(ob or "?", fn or "?")] += cost
    print(f"total Ir {total:,}; per persona {total / personas:,.0f}")
    for kind, cost in split.most_common():
        print(f"{cost / personas:12,.0f} per persona {100 * cost / total:5.1f}%  {kind}")
    for function in ["malloc", "free", "realloc", "calloc", "posix_memalign", "swift_allocObject",
                     "swift_retain", "swift_release"]:
        count = sum(c for (_, fn), c in calls.items() if fn == function)
        print(f"calls to {function}: {count:,} ({count / personas:,.1f} per persona)")
    if "--calls" in sys.argv:
        pattern = re.compile(sys.argv[sys.argv.index("--calls") + 1])
        matched = collections.Counter()
        for (_, fn), count in calls.items():
            if fn and pattern.search(fn):
                matched[fn] += count
        for fn, count in matched.most_common(20):
            print(f"{count / personas:8.1f} calls per persona  {fn[:150]}")


if __name__ == "__main__":
    main()
