"""The functions a callgrind run of the daemon ran, kept to those the binary defines: the list
the release link places side by side (scripts/link-order).

    link_order.py CALLGRIND_OUT BINARY OUT

Callgrind lists functions grouped by object and source file, not in the order they ran; the
grouping is kept. The list puts first the functions that sit in a section of their own (the
project's modules, compiled with -function-sections; the Swift runtime and stdlib, whose static
libraries are built so), then the rest: a function of a module compiled without (the packages'
modules, _StringProcessing, FoundationEssentials) brings its whole object's code with it, which
placed among the others would spread them again.
"""
import re
import subprocess
import sys

# Symbol prefixes of the code that has a section per function.
SECTIONED = ("$s12RegistryCore", "$s14RegistrySystem", "$s16RegistryDatabase", "$s12RegistryTree",
             "$s14RegistryDaemon", "$s16persona_registry", "$ss", "$sS", "swift_", "_swift", "_ZN5swift")


def functions_run(callgrind_out):
    """Names in the order callgrind first names them (`fn=(id) name`, `cfn=(id) name`)."""
    seen, order = set(), []
    with open(callgrind_out, errors="replace") as lines:
        for line in lines:
            match = re.match(r"c?fn=\((\d+)\) (.+)$", line.rstrip("\n"))
            if match and match.group(1) not in seen:
                seen.add(match.group(1))
                order.append(match.group(2))
    return order


def defined_symbols(binary):
    listing = subprocess.run(["nm", "--defined-only", binary], capture_output=True, text=True, check=True).stdout
    return {parts[2] for parts in (line.split(maxsplit=2) for line in listing.splitlines()) if len(parts) == 3}


def main():
    callgrind_out, binary, out = sys.argv[1:4]
    order = functions_run(callgrind_out)
    defined = defined_symbols(binary)
    # The libraries' functions (libpq, libc, libyaml) are theirs to place.
    hot = [name for name in order if name in defined]
    if len(hot) < 500:
        sys.exit(f"link_order: only {len(hot)} of the binary's functions ran: not a daemon's run")
    sectioned = [name for name in hot if name.startswith(SECTIONED)]
    rest = [name for name in hot if not name.startswith(SECTIONED)]
    with open(out, "w") as file:
        file.write("\n".join(sectioned + rest) + "\n")
    print(f"link_order: {len(hot)} functions of {binary} ({len(sectioned)} in sections of their own; "
          f"{len(order)} ran in all) -> {out}")


if __name__ == "__main__":
    main()
