"""The functions a callgrind run of the daemon ran, in the order it first ran them, kept to
those the binary defines: the list the release link places side by side (scripts/link-order).

    link_order.py CALLGRIND_OUT BINARY OUT
"""
import re
import subprocess
import sys


def first_run_order(callgrind_out):
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
    order = first_run_order(callgrind_out)
    defined = defined_symbols(binary)
    # The libraries' functions (libpq, libc, libyaml) are theirs to place.
    hot = [name for name in order if name in defined]
    if len(hot) < 500:
        sys.exit(f"link_order: only {len(hot)} of the binary's functions ran: not a daemon's run")
    with open(out, "w") as file:
        file.write("\n".join(hot) + "\n")
    print(f"link_order: {len(hot)} functions of {binary} ({len(order)} ran in all) -> {out}")


if __name__ == "__main__":
    main()
