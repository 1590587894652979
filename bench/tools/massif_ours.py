"""The heap of one massif snapshot by the first frame in our own sources (Swift files of
Sources/) on each allocation's stack: what holds the memory, in MiB. Run on ms_print's output
put through `swift demangle --simplified`. Used for bench/RESULTS.md (issue 23).

    ms_print massif.out | swift demangle --simplified > ms.txt
    python3 bench/tools/massif_ours.py ms.txt SNAPSHOT [LINES]
"""
import re, sys
path, snap = sys.argv[1], sys.argv[2]
text = open(path).read().splitlines()
out = []; p = False
for l in text:
    if re.match(rf'^ *{snap} ', l): p = True
    elif p and re.match(r'^ *\d+ +[\d,]+ +[\d,]+', l) and not l.strip().startswith(snap): break
    if p: out.append(l)
nodes = []
for l in out:
    m = re.match(r'^([| ]*)->\s*([0-9.]+)% \(([0-9,]+)B\) (.*)$', l)
    if m: nodes.append((len(m.group(1)), int(m.group(3).replace(',', '')), m.group(4)))
ours = re.compile(r'\((\w[\w+]*\.swift):(\d+)\)')
skip = re.compile(r'compiler-generated|Dictionary|Array|Set|String|swift_|AbsOri|subscript|append|init \(|_Native|Sequence|Collection|Unsafe|Hash|ContiguousArray|Substring|Character|Unicode')
rep = []; stack = []
for d, b, t in nodes:
    while stack and stack[-1][0] >= d: stack.pop()
    anc = any(s[2] for s in stack)
    r = bool(ours.search(t)) and not skip.search(t.split('(')[0]) and not anc
    if r: rep.append((b, t))
    stack.append((d, t, r))
print(out[0])
for b, t in sorted(rep, reverse=True)[:int(sys.argv[3]) if len(sys.argv) > 3 else 15]:
    print(f"{b/1048576:7.1f} MiB  {t[:170]}")
