#!/usr/bin/env python3
"""check_layers.py: the include rules of README's "Code map", checked on every source file.

Usage: check_layers.py SOURCE_DIR      exit 0 when every #include keeps to the rules, 1 otherwise
       check_layers.py --self-test     runs the checker on a small tree that breaks each rule once

The layers, bottom up. A layer may include itself and the layers listed for it, never a layer
above it; the third-party headers that tie code to one library are allowed only where that
library belongs (OpenSSL in tls/, libuv in the engine and the glue around it, c-ares in the
resolver's glue, libidn2 in input/).
"""

import os
import re
import sys
import tempfile

BELOW_VERDICT = ["base/", "tls/", "resolver/", "input/", "scanner/smtp/", "scanner/verdict/"]
EVERYTHING = BELOW_VERDICT + ["scanner/engine/", "output/", "sim/", "app/", "bench/", "tests/"]

# folder -> project folders it may include. The longest matching folder wins.
LAYERS = {
    "base/": ["base/"],
    "tls/": ["base/", "tls/"],
    "resolver/": ["base/", "resolver/"],
    "input/": ["base/", "input/"],
    "scanner/smtp/": ["base/", "scanner/smtp/"],
    "scanner/verdict/": BELOW_VERDICT,
    "output/": BELOW_VERDICT + ["output/"],
    "scanner/engine/": BELOW_VERDICT + ["scanner/engine/"],
    "sim/": ["base/", "tls/", "resolver/", "sim/"],
    "app/": EVERYTHING,
    "bench/": EVERYTHING,
    "tests/": EVERYTHING,
}

UV_GLUE = ["resolver/ares_loop.h", "resolver/ares_loop.cc", "resolver/ares_resolver.h",
           "resolver/ares_resolver.cc"]
# System headers that belong to one place. Tests of tls/ internals build keys and certificates
# with BoringSSL itself, and the benchmark floor measures the library: they are named one by one,
# so that a new file including OpenSSL outside tls/ is a decision, not an accident.
SYSTEM_RULES = [
    (re.compile(r"^openssl/"), "OpenSSL headers",
     ["tls/", "tests/unit/hello_probe_test.cc", "tests/unit/cert_name_test.cc",
      "tests/integration/trust_anchor_test.cc", "tests/fuzz/fuzz_cert_name.cc", "bench/floor.cc"]),
    (re.compile(r"^uv\.h$"), "uv.h",
     ["scanner/engine/", "sim/", "app/", "bench/", "tests/"] + UV_GLUE),
    (re.compile(r"^ares(_[a-z_]+)?\.h$"), "c-ares headers", UV_GLUE + ["tests/"]),
    (re.compile(r"^idn2\.h$"), "libidn2", ["input/"]),
]

SKIP_DIRS = {"build", "build-asan", "build-fuzz", ".git", "corpus", "regressions", "data"}
INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]', re.M)


def layer_of(path):
    best = None
    for folder in LAYERS:
        if path.startswith(folder) and (best is None or len(folder) > len(best)):
            best = folder
    return best


def allowed(path, places):
    return any(path == p or (p.endswith("/") and path.startswith(p)) for p in places)


def check(root):
    problems = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS and not d.startswith("build"))
        for name in sorted(filenames):
            if not name.endswith((".h", ".cc")):
                continue
            path = os.path.relpath(os.path.join(dirpath, name), root).replace(os.sep, "/")
            layer = layer_of(path)
            if layer is None:
                problems.append(f"{path}: not in any layer (add its folder to tests/check_layers.py"
                                " and README's code map)")
                continue
            with open(os.path.join(root, path), encoding="utf-8", errors="replace") as f:
                text = f.read()
            for m in INCLUDE.finditer(text):
                kind, target = m.group(1), m.group(2)
                line = text.count("\n", 0, m.start()) + 1
                if kind == '"':
                    if "/" not in target:
                        problems.append(f"{path}:{line}: \"{target}\": project includes name their"
                                        " folder")
                        continue
                    if not allowed(target, LAYERS[layer]):
                        problems.append(f"{path}:{line}: includes \"{target}\", but {layer} may"
                                        f" include only {', '.join(LAYERS[layer])}")
                    continue
                for pattern, what, places in SYSTEM_RULES:
                    if pattern.search(target) and not allowed(path, places):
                        problems.append(f"{path}:{line}: <{target}>: {what} belong only in "
                                        f"{', '.join(places)}")
    return problems


SELF_TEST_TREE = {
    "base/ok.h": '#include <string>\n#include "base/other.h"\n',
    "base/up.cc": '#include "scanner/engine/sweep.h"\n',                  # lower -> higher
    "scanner/verdict/loop.h": "#include <uv.h>\n",                        # uv outside the engine
    "output/crypto.cc": "#include <openssl/ssl.h>\n",                     # OpenSSL outside tls/
    "scanner/engine/ok.cc": '#include <uv.h>\n#include "scanner/verdict/x.h"\n',
    "scanner/engine/report.cc": '#include "output/domain_report.h"\n',   # sideways to output/
    "resolver/dns_wire.cc": "#include <ares.h>\n",                       # c-ares outside the glue
    "resolver/ares_loop.cc": "#include <ares.h>\n#include <uv.h>\n",
    "newdir/thing.cc": "int x;\n",                                        # unknown folder
    "tests/unit/x_test.cc": "#include <openssl/ssl.h>\n",                 # not on the list
}
SELF_TEST_EXPECT = [
    "base/up.cc:1", "scanner/verdict/loop.h:1", "output/crypto.cc:1", "scanner/engine/report.cc:1",
    "resolver/dns_wire.cc:1", "newdir/thing.cc", "tests/unit/x_test.cc:1",
]


def self_test():
    with tempfile.TemporaryDirectory() as root:
        for rel, text in SELF_TEST_TREE.items():
            os.makedirs(os.path.dirname(os.path.join(root, rel)), exist_ok=True)
            with open(os.path.join(root, rel), "w") as f:
                f.write(text)
        problems = check(root)
    found = [p.split(": ")[0] for p in problems]
    if sorted(found) != sorted(SELF_TEST_EXPECT):
        print("self-test: expected problems at", sorted(SELF_TEST_EXPECT), "got:")
        for p in problems:
            print("  " + p)
        return 1
    print(f"self-test: the {len(problems)} planted violations were all reported, nothing else")
    return 0


def main(argv):
    if len(argv) == 2 and argv[1] == "--self-test":
        return self_test()
    if len(argv) != 2:
        print(__doc__)
        return 2
    problems = check(argv[1])
    for p in problems:
        print(p)
    if problems:
        print(f"{len(problems)} include(s) break the layer rules (README \"Code map\")")
        return 1
    print("every include keeps to the layer rules")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
